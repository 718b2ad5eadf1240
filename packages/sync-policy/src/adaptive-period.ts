import {
  Exchange,
  OptionError,
  Scheduler,
  SyncPolicy,
  choiceOption,
  knownOptions,
  numberOption,
  type Bucket,
  type PluginSpec,
  type Snapshot,
  type StepContext,
  type SyncOutcome,
} from '@syncopate/core';
import { bucketsInOrder } from './buckets.js';
import { callOptions } from './internal/call-options.js';
import { StateFields } from './internal/state-fields.js';
import { GUARANTEES } from './guarantees.js';

/** Options of {@link adaptivePeriod}. */
export interface AdaptivePeriodOptions {
  /** p_init: the averaging period while C₂ is sampled, an integer ≥ 1. Default 4 (the paper's). */
  readonly initialPeriod?: number;
  /**
   * K_s: C₂ is sampled at the syncs of global steps k < K_s (warm-up steps included); afterwards the
   * period adapts. An integer ≥ 0. Default 1000 (the paper's CIFAR-10 setting, K_s = 0.25·K for
   * K = 4000); set it to about a quarter of the run.
   */
  readonly samplingSteps?: number;
  /** Epochs at the start averaged every step (period 1) before Algorithm 2 starts. Default 1 (the paper's CIFAR-10 warm-up). */
  readonly warmupEpochs?: number;
  /** Below `lowerFactor`·γ_k·C₂ the period grows by 1. In (0, 1]. Default 0.7. */
  readonly lowerFactor?: number;
  /** Above `upperFactor`·γ_k·C₂ the period shrinks by 1. At least 1. Default 1.3. */
  readonly upperFactor?: number;
  /** RUNNINGAVERAGE of the samples S_k/γ_k: their plain mean (default) or an exponential moving average. */
  readonly runningAverage?: 'mean' | 'ema';
  /** Weight of the old value in the `ema` running average, in [0, 1). Default 0.9. */
  readonly emaDecay?: number;
  /** Smallest period, an integer ≥ 1. Default 1. */
  readonly minPeriod?: number;
  /** Largest period (not in the paper). Default: unbounded. */
  readonly maxPeriod?: number;
}

/**
 * ADPSGD, adaptive periodic parameter averaging (Jiang & Agrawal, "Adaptive Periodic Averaging: A
 * Practical Approach to Reducing Communication in Distributed Learning", arXiv 2020; its Algorithm 2).
 *
 * Local SGD whose period p adapts so that the variance of the models across ranks, measured just
 * before each averaging, stays proportional to the learning rate:
 *
 *   S_k = (1/n) Σᵢ ‖w̄ − wᵢ‖²   (one extra one-number exchange per sync)
 *   while k < K_s:   p = p_init, and C₂ ← RUNNINGAVERAGE(C₂, S_k / γ_k)
 *   afterwards:      p += 1 if S_k < 0.7·γ_k·C₂;   p −= 1 if S_k > 1.3·γ_k·C₂   (p ≥ 1)
 *
 * Because S_k shrinks like γ² after a learning-rate drop while the target shrinks like γ, the
 * period grows — the paper's observation that the best period grows over training. The first
 * `warmupEpochs` average every step. `period`, `S_k` and `C_2` are traced in the step metrics.
 */
export class AdaptivePeriod implements SyncPolicy {
  readonly name = 'adaptivePeriod';
  private buckets: readonly Bucket[] | undefined;
  private period: number;
  private count = 0;
  private c2 = 0;
  private samples = 0;
  private before: Float32Array | undefined;
  private readonly scalar = new Float32Array(1);

  constructor(
    private readonly options: Required<AdaptivePeriodOptions>,
    private readonly exchange: Exchange,
    private readonly scheduler?: Scheduler,
  ) {
    this.period = options.initialPeriod;
  }

  init(_parameters: Float32Array, ctx: StepContext): void {
    this.buckets = bucketsInOrder(ctx.layout, this.scheduler);
  }

  /** The current averaging period p. */
  get currentPeriod(): number {
    return this.period;
  }

  async onGradients(): Promise<void> {}

  async onParameters(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome> {
    if (ctx.epoch < this.options.warmupEpochs) {
      ctx.trace('period', 1);
      await this.average(parameters, ctx);
      return { synced: true };
    }
    this.count++;
    if (this.count < this.period) {
      ctx.trace('period', this.period);
      return { synced: false };
    }
    this.count = 0;
    const before = (this.before ??= new Float32Array(parameters.length));
    before.set(parameters);
    await this.average(parameters, ctx);
    const variance = await this.variance(before, parameters, ctx);
    this.adapt(variance, ctx);
    ctx.trace('period', this.period);
    ctx.trace('S_k', variance);
    ctx.trace('C_2', this.c2);
    return { synced: true };
  }

  /** Average once more if local steps were taken since the last averaging, so every rank ends equal. */
  async finish(parameters: Float32Array, ctx: StepContext): Promise<void> {
    if (this.count > 0) {
      await this.average(parameters, ctx);
      this.count = 0;
    }
  }

  snapshot(): Snapshot {
    return { period: this.period, count: this.count, c2: this.c2, samples: this.samples };
  }

  restore(snapshot: Snapshot): void {
    const fields = new StateFields(this.name, snapshot);
    this.period = fields.integer('period', 1);
    this.count = fields.integer('count');
    this.c2 = fields.number('c2', (n) => Number.isFinite(n) && n >= 0, 'a finite number >= 0');
    this.samples = fields.integer('samples');
  }

  /** Algorithm 2, lines 13–19: sample C₂ during the first K_s steps, then move p by one inside the band. */
  private adapt(variance: number, ctx: StepContext): void {
    const { samplingSteps, lowerFactor, upperFactor, minPeriod, maxPeriod } = this.options;
    const lr = ctx.lr;
    if (!(lr > 0)) throw new OptionError(this.name, 'lr', `needs a learning rate γ_k > 0 at each sync (S_k is compared with γ_k·C₂), got ${lr} at step ${ctx.step}`);
    if (ctx.step < samplingSteps) {
      this.c2 = this.runningAverage(this.c2, variance / lr);
      return;
    }
    if (this.samples === 0) return; // nothing sampled (K_s inside the warm-up): keep p
    if (variance < lowerFactor * lr * this.c2) this.period = Math.min(maxPeriod, this.period + 1);
    else if (variance > upperFactor * lr * this.c2) this.period = Math.max(minPeriod, this.period - 1);
  }

  private runningAverage(previous: number, sample: number): number {
    const n = this.samples++;
    if (n === 0) return sample;
    if (this.options.runningAverage === 'ema') return this.options.emaDecay * previous + (1 - this.options.emaDecay) * sample;
    return previous + (sample - previous) / (n + 1);
  }

  /** S_k: the mean over ranks of ‖w̄ − wᵢ‖², from this rank's pre-average parameters. */
  private async variance(before: Float32Array, averaged: Float32Array, ctx: StepContext): Promise<number> {
    let local = 0;
    for (let i = 0; i < before.length; i++) {
      const d = averaged[i]! - before[i]!;
      local += d * d;
    }
    this.scalar[0] = local;
    await this.exchange.run(this.scalar, { stream: 'adaptivePeriod/variance', step: ctx.step, compress: false }, callOptions(ctx));
    return this.scalar[0]!;
  }

  private async average(parameters: Float32Array, ctx: StepContext): Promise<void> {
    const buckets = (this.buckets ??= bucketsInOrder(ctx.layout, this.scheduler));
    const options = callOptions(ctx);
    await Promise.all(buckets.map((bucket) => this.exchange.run(parameters, { stream: 'parameter', step: ctx.step, bucket }, options)));
  }
}

/**
 * ADPSGD: local SGD whose averaging period adapts to keep the model variance proportional to the
 * learning rate.
 *
 * @example
 * ```ts
 * plugins: [adaptivePeriod({ initialPeriod: 4, samplingSteps: 1000 })],
 * schedules: [stepDecay({ boundaries: [80, 120] })],
 * ```
 */
export function adaptivePeriod(options: AdaptivePeriodOptions = {}): PluginSpec<Required<AdaptivePeriodOptions>> {
  const owner = 'adaptivePeriod';
  knownOptions(owner, options, ['initialPeriod', 'samplingSteps', 'warmupEpochs', 'lowerFactor', 'upperFactor', 'runningAverage', 'emaDecay', 'minPeriod', 'maxPeriod']);
  const minPeriod = numberOption(owner, 'minPeriod', options.minPeriod, { min: 1, integer: true }, 1);
  const maxPeriod = numberOption(owner, 'maxPeriod', options.maxPeriod, { min: minPeriod, integer: true }, Number.MAX_SAFE_INTEGER);
  const resolved: Required<AdaptivePeriodOptions> = Object.freeze({
    initialPeriod: numberOption(owner, 'initialPeriod', options.initialPeriod, { min: minPeriod, max: maxPeriod, integer: true }, Math.min(Math.max(4, minPeriod), maxPeriod)),
    samplingSteps: numberOption(owner, 'samplingSteps', options.samplingSteps, { min: 0, integer: true }, 1000),
    warmupEpochs: numberOption(owner, 'warmupEpochs', options.warmupEpochs, { min: 0, integer: true }, 1),
    lowerFactor: numberOption(owner, 'lowerFactor', options.lowerFactor, { above: 0, max: 1 }, 0.7),
    upperFactor: numberOption(owner, 'upperFactor', options.upperFactor, { min: 1 }, 1.3),
    runningAverage: choiceOption(owner, 'runningAverage', options.runningAverage, ['mean', 'ema'] as const, 'mean'),
    emaDecay: numberOption(owner, 'emaDecay', options.emaDecay, { min: 0, below: 1 }, 0.9),
    minPeriod,
    maxPeriod,
  });
  return Object.freeze({
    kind: 'sync-policy' as const,
    name: owner,
    options: resolved,
    provides: GUARANTEES.exact,
    register(registrar) {
      registrar.register(SyncPolicy, {
        useFactory: (resolver) => new AdaptivePeriod(resolved, resolver.resolve(Exchange), resolver.resolveOptional(Scheduler)),
      });
    },
  } satisfies PluginSpec<Required<AdaptivePeriodOptions>>);
}
