import {
  Exchange,
  Scheduler,
  StateError,
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
import { GUARANTEES } from './guarantees.js';

/** Options of {@link localSgd}. */
export interface LocalSgdOptions {
  /** τ: local steps between two averagings, an integer ≥ 1. Default 12 (the SlowMo paper's choice for local SGD). */
  readonly period?: number;
  /**
   * What travels: `parameter` (default) averages the parameters themselves; `delta` averages the
   * model change since the last averaging, xᵢ − x₀, and adds the mean to x₀. Both give the same
   * average in exact arithmetic; `delta` is what a compressor should see (a small update, not the
   * weights), at the cost of keeping x₀.
   */
  readonly stream?: 'parameter' | 'delta';
}

/**
 * Local SGD with a constant period (Stich, "Local SGD converges fast and communicates little",
 * ICLR 2019; also "parallel SGD" / "federated averaging"): every rank takes τ steps of its base
 * optimizer on its own data without communicating, then all ranks average their parameters:
 * x ← (1/m) Σᵢ xᵢ after each global step t with (t + 1) mod τ = 0.
 *
 * Stateless with `stream: 'parameter'` (the schedule is a function of the step); with
 * `stream: 'delta'` the anchor x₀ is checkpointed.
 */
export class LocalSgd implements SyncPolicy {
  readonly name = 'localSgd';
  private buckets: readonly Bucket[] | undefined;
  private anchor: Float32Array | undefined;

  constructor(
    private readonly options: Required<LocalSgdOptions>,
    private readonly exchange: Exchange,
    private readonly scheduler?: Scheduler,
  ) {}

  init(parameters: Float32Array, ctx: StepContext): void {
    this.buckets = bucketsInOrder(ctx.layout, this.scheduler);
    if (this.options.stream === 'delta') this.anchor = parameters.slice();
  }

  async onGradients(): Promise<void> {}

  async onParameters(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome> {
    if ((ctx.step + 1) % this.options.period !== 0) return { synced: false };
    await this.average(parameters, ctx);
    return { synced: true };
  }

  /** Average once more if local steps were taken since the last averaging, so every rank ends equal. */
  async finish(parameters: Float32Array, ctx: StepContext): Promise<void> {
    if ((ctx.step + 1) % this.options.period !== 0) await this.average(parameters, ctx);
  }

  snapshot(): Snapshot {
    return this.anchor ? { anchor: this.anchor.slice() } : {};
  }

  restore(snapshot: Snapshot): void {
    if (this.options.stream !== 'delta') return;
    const anchor = snapshot.anchor;
    if (!(anchor instanceof Float32Array) || (this.anchor && anchor.length !== this.anchor.length)) {
      throw new StateError(`localSgd: snapshot field 'anchor' must be a Float32Array of the parameters' length`);
    }
    this.anchor = anchor.slice();
  }

  private async average(parameters: Float32Array, ctx: StepContext): Promise<void> {
    const buckets = (this.buckets ??= bucketsInOrder(ctx.layout, this.scheduler));
    const options = ctx.signal ? { signal: ctx.signal } : undefined;
    const anchor = this.anchor;
    if (!anchor) {
      await Promise.all(buckets.map((bucket) => this.exchange.run(parameters, { stream: 'parameter', step: ctx.step, bucket }, options)));
      return;
    }
    // parameters ← x₀ + mean(xᵢ − x₀); the delta is computed in place and x₀ becomes the result.
    for (let i = 0; i < parameters.length; i++) parameters[i] = parameters[i]! - anchor[i]!;
    await Promise.all(buckets.map((bucket) => this.exchange.run(parameters, { stream: 'delta', step: ctx.step, bucket }, options)));
    for (let i = 0; i < parameters.length; i++) parameters[i] = anchor[i]! + parameters[i]!;
    anchor.set(parameters);
  }
}

/**
 * Local SGD: τ local steps, then average the parameters over all ranks.
 *
 * @example
 * ```ts
 * plugins: [localSgd({ period: 8 })]
 * ```
 */
export function localSgd(options: LocalSgdOptions = {}): PluginSpec<Required<LocalSgdOptions>> {
  knownOptions('localSgd', options, ['period', 'stream']);
  const resolved = Object.freeze({
    period: numberOption('localSgd', 'period', options.period, { min: 1, integer: true }, 12),
    stream: choiceOption('localSgd', 'stream', options.stream, ['parameter', 'delta'] as const, 'parameter'),
  });
  const spec: PluginSpec<Required<LocalSgdOptions>> = {
    kind: 'sync-policy',
    name: 'localSgd',
    options: resolved,
    provides: GUARANTEES.exact,
    register(registrar) {
      registrar.register(SyncPolicy, {
        useFactory: (resolver) => new LocalSgd(resolved, resolver.resolve(Exchange), resolver.resolveOptional(Scheduler)),
      });
    },
  };
  return Object.freeze(spec);
}
