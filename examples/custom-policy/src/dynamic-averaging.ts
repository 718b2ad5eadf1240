import {
  Capabilities,
  Exchange,
  Scheduler,
  StateError,
  SyncPolicy,
  knownOptions,
  numberOption,
  type Bucket,
  type PluginSpec,
  type Snapshot,
  type StepContext,
  type SyncOutcome,
} from '@syncopate/core';

/** Options of {@link dynamicAveraging}. */
export interface DynamicAveragingOptions {
  /**
   * Δ: the largest squared distance ‖xᵢ − r‖² a rank's model may drift from the last average r
   * before every rank averages again. Required (it depends on the model's scale): a few times
   * the squared distance that `period` steps of local SGD travel is a good start.
   */
  readonly threshold: number;
  /** b: check the drift every b steps (the paper's check interval). Integer ≥ 1, default 1. */
  readonly checkEvery?: number;
}

/**
 * Dynamic model averaging (Kamp, Adilova, Sicking, Hüger, Schlicht, Wirtz & Wrobel, "Efficient
 * decentralized deep learning by dynamic model averaging", ECML PKDD 2018), in its simplest
 * form: ranks train locally and average only when a model has drifted from the last average r by
 * more than Δ in squared Euclidean distance. While models agree, nothing but one number crosses
 * the network; when they drift (large gradients, a shift in the data), they are averaged often.
 *
 * Every b steps each rank computes its drift dᵢ = ‖xᵢ − r‖² and contributes 1 if dᵢ > Δ, else 0.
 * One exchange sums these flags over all ranks (uncompressed, `reduction: 'sum'`), so every rank
 * sees the same integer and takes the same decision — no rank can average alone, which would
 * deadlock the others. If any rank is over Δ, all ranks average their change since r (stream
 * `delta`, so a compressor sees a small update, not the weights), and r becomes the new average.
 *
 * This is the paper's protocol without its coordinator's partial synchronisation: a violation
 * always averages all ranks. State: r and the step of the last average (checkpointed).
 *
 * @example
 * ```ts
 * plugins: [dynamicAveraging({ threshold: 0.05 })]
 * ```
 */
export class DynamicAveraging implements SyncPolicy {
  readonly name = 'dynamicAveraging';
  private reference: Float32Array | undefined;
  private lastAverage = -1;
  private buckets: readonly Bucket[] | undefined;
  private readonly flag = new Float32Array(1);

  constructor(
    private readonly options: Required<DynamicAveragingOptions>,
    private readonly exchange: Exchange,
    private readonly scheduler?: Scheduler,
  ) {}

  init(parameters: Float32Array, ctx: StepContext): void {
    this.reference = parameters.slice();
    this.buckets = this.plan(ctx);
  }

  async onGradients(): Promise<void> {}

  async onParameters(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome> {
    if ((ctx.step + 1) % this.options.checkEvery !== 0) return { synced: false };
    const reference = this.state(parameters.length);
    let drift = 0;
    for (let i = 0; i < parameters.length; i++) drift += (parameters[i]! - reference[i]!) ** 2;
    ctx.trace('drift', drift);
    this.flag[0] = drift > this.options.threshold ? 1 : 0;
    await this.exchange.run(this.flag, { stream: 'dynamicAveraging/violations', step: ctx.step, reduction: 'sum', compress: false }, this.call(ctx));
    const violations = this.flag[0]!;
    ctx.trace('violations', violations);
    if (violations === 0) return { synced: false };
    await this.average(parameters, ctx);
    return { synced: true };
  }

  /** Average once more if any local step was taken since the last average: every rank ends equal. */
  async finish(parameters: Float32Array, ctx: StepContext): Promise<void> {
    if (this.lastAverage !== ctx.step) await this.average(parameters, ctx);
  }

  snapshot(): Snapshot {
    return { reference: this.state().slice(), lastAverage: this.lastAverage };
  }

  restore(snapshot: Snapshot): void {
    const { reference, lastAverage } = snapshot;
    if (!(reference instanceof Float32Array) || (this.reference && reference.length !== this.reference.length)) {
      throw new StateError("dynamicAveraging: snapshot field 'reference' must be a Float32Array of the parameters' length");
    }
    if (typeof lastAverage !== 'number' || !Number.isInteger(lastAverage) || lastAverage < -1) {
      throw new StateError("dynamicAveraging: snapshot field 'lastAverage' must be an integer step >= -1");
    }
    this.reference = reference.slice();
    this.lastAverage = lastAverage;
  }

  /** x ← r + mean over ranks of (xᵢ − r); then r ← x. */
  private async average(parameters: Float32Array, ctx: StepContext): Promise<void> {
    const reference = this.state(parameters.length);
    const buckets = (this.buckets ??= this.plan(ctx));
    for (let i = 0; i < parameters.length; i++) parameters[i] = parameters[i]! - reference[i]!;
    await Promise.all(buckets.map((bucket) => this.exchange.run(parameters, { stream: 'delta', step: ctx.step, bucket }, this.call(ctx))));
    for (let i = 0; i < parameters.length; i++) parameters[i] = reference[i]! + parameters[i]!;
    reference.set(parameters);
    this.lastAverage = ctx.step;
  }

  /** The scheduler's buckets in its order (the same on every rank), or the whole buffer. */
  private plan(ctx: StepContext): readonly Bucket[] {
    if (!this.scheduler) return [ctx.layout.wholeBucket()];
    const plan = this.scheduler.plan(ctx.layout);
    return plan.order.map((index) => plan.buckets[index]!);
  }

  private call(ctx: StepContext) {
    return ctx.signal ? { signal: ctx.signal } : undefined;
  }

  private state(length?: number): Float32Array {
    if (!this.reference) throw new StateError('dynamicAveraging: init(parameters) must run before the first step');
    if (length !== undefined && length !== this.reference.length) {
      throw new StateError(`dynamicAveraging: got ${length} parameters, init saw ${this.reference.length}`);
    }
    return this.reference;
  }
}

/**
 * Dynamic model averaging: train locally, average all ranks when any rank's model has drifted
 * from the last average by more than `threshold` (squared Euclidean distance).
 *
 * @example
 * ```ts
 * import { dynamicAveraging } from 'syncopate-example-custom-policy';
 * createTrainer({ transport, model, data, plugins: [dynamicAveraging({ threshold: 0.05, checkEvery: 2 })] });
 * ```
 */
export function dynamicAveraging(options: DynamicAveragingOptions): PluginSpec<Required<DynamicAveragingOptions>> {
  knownOptions('dynamicAveraging', options, ['threshold', 'checkEvery']);
  const resolved = Object.freeze({
    threshold: numberOption('dynamicAveraging', 'threshold', options?.threshold, { above: 0 }),
    checkEvery: numberOption('dynamicAveraging', 'checkEvery', options?.checkEvery, { min: 1, integer: true }, 1),
  });
  const spec: PluginSpec<Required<DynamicAveragingOptions>> = {
    kind: 'sync-policy',
    name: 'dynamicAveraging',
    options: resolved,
    // Every sync it reports averages all ranks at the same step: outer optimizers (SlowMo, BMUF)
    // and the base-buffer 'average' policy may compose with it.
    provides: [Capabilities.exactAverage, Capabilities.lockstepSync],
    register(registrar) {
      registrar.register(SyncPolicy, {
        useFactory: (resolver) => new DynamicAveraging(resolved, resolver.resolve(Exchange), resolver.resolveOptional(Scheduler)),
      });
    },
  };
  return Object.freeze(spec);
}
