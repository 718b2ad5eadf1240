import {
  Exchange,
  OptionError,
  StateError,
  SyncPolicy,
  booleanOption,
  knownOptions,
  numberOption,
  type PluginSpec,
  type Snapshot,
  type StepContext,
  type SyncOutcome,
} from '@syncopate/core';
import { callOptions } from './internal/call-options.js';
import { InFlight } from './internal/in-flight.js';
import { StateFields } from './internal/state-fields.js';
import { GUARANTEES } from './guarantees.js';

/** Options of {@link overlapLocalSgd}. */
export interface OverlapLocalSgdOptions {
  /** τ: local steps between two sync points, an integer ≥ 1. Default 12 (as `localSgd`). */
  readonly period?: number;
  /** α: pull-back strength towards the anchor, in (0, 1]. Default 0.2 (the authors' reference script). */
  readonly alpha?: number;
  /** μ: momentum of the anchor (the paper's momentum variant), in [0, 1). Default 0 (plain anchor averaging). */
  readonly anchorMomentum?: number;
  /**
   * Start the average at a sync point and use it at the next one, τ steps later (default, the
   * paper). With false, the average is awaited at once and the pull-back uses it immediately; with
   * α = 1 and μ = 0 that is exactly local SGD.
   */
  readonly overlap?: boolean;
}

/**
 * Overlap-Local-SGD (Wang, Liang & Joshi, "Overlap Local-SGD: An Algorithmic Approach to Hide
 * Communication Delays in Distributed SGD", ICASSP 2020). Every rank keeps an anchor z, the same on
 * all ranks. Every τ steps:
 *
 *   z ← the average started at the previous sync point (it has had τ steps to arrive)
 *   x ← (1 − α)·x + α·z                       (pull back towards the anchor)
 *   v ← μ·v + (z − x)/γ;   c ← z − γ·v          (μ = 0: c = x)
 *   start averaging c over ranks                 (it becomes the next anchor)
 *
 * and training goes on at once, so the communication is hidden behind the next τ local steps; only
 * a pull-back, never a blocking average, couples the ranks. The first sync point pulls towards the
 * initial parameters. c travels as stream `parameter` through the exchange. Follows the update of
 * the authors' reference code (`distoptim/OverlapLocalSGD.py`); at the end of training the
 * parameters are averaged exactly once so every rank holds the same model.
 */
export class OverlapLocalSgd implements SyncPolicy {
  readonly name = 'overlapLocalSgd';
  private anchor: Float32Array | undefined;
  private contribution: Float32Array | undefined;
  private velocity: Float64Array | undefined;
  private inFlight: InFlight | undefined;

  constructor(
    private readonly options: Required<OverlapLocalSgdOptions>,
    private readonly exchange: Exchange,
  ) {}

  init(parameters: Float32Array): void {
    this.anchor = parameters.slice();
    this.contribution = new Float32Array(parameters.length);
    this.velocity = new Float64Array(parameters.length);
    this.inFlight = undefined;
  }

  async onGradients(): Promise<void> {}

  async onParameters(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome> {
    if ((ctx.step + 1) % this.options.period !== 0) return { synced: false };
    const { anchor, contribution } = this.buffers(parameters);
    if (this.options.overlap) {
      if (this.inFlight) {
        await this.inFlight.wait();
        anchor.set(contribution);
      }
      this.pullBack(parameters);
      this.contribute(parameters, ctx);
      this.inFlight = new InFlight(ctx.step, this.exchange.run(contribution, { stream: 'parameter', step: ctx.step }, callOptions(ctx)));
    } else {
      this.contribute(parameters, ctx);
      await this.exchange.run(contribution, { stream: 'parameter', step: ctx.step }, callOptions(ctx));
      anchor.set(contribution);
      this.pullBack(parameters);
    }
    return { synced: true };
  }

  /** Wait for the average in flight and keep it as the next anchor. */
  async settle(): Promise<void> {
    await this.inFlight?.wait();
  }

  /** Drain the average in flight, then average the parameters exactly once: every rank ends equal. */
  async finish(parameters: Float32Array, ctx: StepContext): Promise<void> {
    const { anchor, contribution } = this.buffers(parameters);
    if (this.inFlight) {
      await this.inFlight.wait();
      anchor.set(contribution);
      this.inFlight = undefined;
    }
    await this.exchange.run(parameters, { stream: 'parameter', step: ctx.step }, callOptions(ctx));
    anchor.set(parameters);
  }

  snapshot(): Snapshot {
    const { anchor, contribution, velocity } = this.buffers();
    if (this.inFlight && !this.inFlight.done) {
      throw new StateError(`${this.name}: the average started at step ${this.inFlight.step} is still in flight; pause with fit({ stopAtStep }), which settles it, before saving`);
    }
    return {
      anchor: anchor.slice(),
      contribution: contribution.slice(),
      velocity: velocity.slice(),
      pending: this.inFlight !== undefined,
      pendingStep: this.inFlight?.step ?? -1,
    };
  }

  restore(snapshot: Snapshot): void {
    const fields = new StateFields(this.name, snapshot);
    const anchor = fields.float32('anchor', this.anchor?.length);
    this.anchor = anchor.slice();
    this.contribution = fields.float32('contribution', anchor.length).slice();
    this.velocity = fields.float64('velocity', anchor.length).slice();
    const pending = fields.boolean('pending');
    const pendingStep = fields.integer('pendingStep', -1);
    this.inFlight = pending ? InFlight.restored(pendingStep) : undefined;
  }

  /** x ← (1 − α)·x + α·z (α = 1 gives z exactly). */
  private pullBack(parameters: Float32Array): void {
    const { anchor } = this.buffers(parameters);
    const alpha = this.options.alpha;
    for (let i = 0; i < parameters.length; i++) parameters[i] = (1 - alpha) * parameters[i]! + alpha * anchor[i]!;
  }

  /** c ← z − γ·v with v ← μ·v + (z − x)/γ; for μ = 0 exactly c = x. */
  private contribute(parameters: Float32Array, ctx: StepContext): void {
    const { anchor, contribution, velocity } = this.buffers(parameters);
    const mu = this.options.anchorMomentum;
    if (mu === 0) {
      contribution.set(parameters);
      return;
    }
    const lr = ctx.lr;
    if (!(lr > 0)) throw new OptionError(this.name, 'lr', `needs a learning rate γ > 0 at each sync when anchorMomentum > 0 (it divides by γ), got ${lr} at step ${ctx.step}`);
    for (let i = 0; i < parameters.length; i++) {
      velocity[i] = mu * velocity[i]! + (anchor[i]! - parameters[i]!) / lr;
      contribution[i] = anchor[i]! - lr * velocity[i]!;
    }
  }

  private buffers(like?: Float32Array): { anchor: Float32Array; contribution: Float32Array; velocity: Float64Array } {
    if (!this.anchor || !this.contribution || !this.velocity) {
      if (!like) throw new StateError(`${this.name}: no state before init`);
      this.init(like);
    }
    return { anchor: this.anchor!, contribution: this.contribution!, velocity: this.velocity! };
  }
}

/**
 * Overlap-Local-SGD: local SGD whose averaging runs behind the next τ local steps, with a
 * pull-back towards the anchor (and optionally anchor momentum).
 *
 * @example
 * ```ts
 * plugins: [overlapLocalSgd({ period: 8, alpha: 0.5 })]
 * ```
 */
export function overlapLocalSgd(options: OverlapLocalSgdOptions = {}): PluginSpec<Required<OverlapLocalSgdOptions>> {
  const owner = 'overlapLocalSgd';
  knownOptions(owner, options, ['period', 'alpha', 'anchorMomentum', 'overlap']);
  const resolved = Object.freeze({
    period: numberOption(owner, 'period', options.period, { min: 1, integer: true }, 12),
    alpha: numberOption(owner, 'alpha', options.alpha, { above: 0, max: 1 }, 0.2),
    anchorMomentum: numberOption(owner, 'anchorMomentum', options.anchorMomentum, { min: 0, below: 1 }, 0),
    overlap: booleanOption(owner, 'overlap', options.overlap, true),
  });
  return Object.freeze({
    kind: 'sync-policy' as const,
    name: owner,
    options: resolved,
    provides: !resolved.overlap && resolved.alpha === 1 && resolved.anchorMomentum === 0 ? GUARANTEES.exact : GUARANTEES.lockstep,
    register(registrar) {
      registrar.register(SyncPolicy, { useFactory: (resolver) => new OverlapLocalSgd(resolved, resolver.resolve(Exchange)) });
    },
  } satisfies PluginSpec<Required<OverlapLocalSgdOptions>>);
}
