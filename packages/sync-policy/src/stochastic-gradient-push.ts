import {
  Capabilities,
  CompositionError,
  Exchange,
  StateError,
  SyncPolicy,
  booleanOption,
  knownOptions,
  type PluginSpec,
  type Snapshot,
  type StepContext,
  type SyncOutcome,
} from '@syncopate/core';
import { callOptions } from './internal/call-options.js';
import { StateFields } from './internal/state-fields.js';
import { GUARANTEES } from './guarantees.js';

/** Options of {@link stochasticGradientPush}. */
export interface StochasticGradientPushOptions {
  /**
   * At the end of training, average the de-biased parameters exactly over all ranks once, so every
   * rank holds the same final model. Default true.
   */
  readonly finalAverage?: boolean;
}

/**
 * Stochastic Gradient Push, SGP (Assran, Loizou, Ballas & Rabbat, "Stochastic Gradient Push for
 * Distributed Deep Learning", ICML 2019), built on push-sum (Kempe, Dobra & Gehrke, FOCS 2003).
 * Every rank keeps a numerator x and a push-sum weight w (both start from the initial parameters
 * and 1); the model it trains and evaluates is the de-biased z = x / w. Each step:
 *
 *   x ← x + u                       (u: the base optimizer's step, computed at z)
 *   (x, w) ← Σ_j P_ij (x_j, w_j)    (push-sum over the topology at this step; P column-stochastic)
 *   z ← x / w
 *
 * Column-stochastic mixing conserves Σᵢ xᵢ and Σᵢ wᵢ = n, so, on a directed or time-varying graph
 * whose in- and out-degrees differ, z still converges to the true average Σ xᵢ / n where x alone
 * would be biased towards well-connected ranks. On SGP's one-peer exponential graph the weights
 * stay 1. The push-sum goes through the exchange (pattern `push-sum`, stream `parameter`).
 */
export class StochasticGradientPush implements SyncPolicy {
  readonly name = 'stochasticGradientPush';
  private numerator: Float32Array | undefined;
  private weight = 1;

  constructor(
    private readonly options: Required<StochasticGradientPushOptions>,
    private readonly exchange: Exchange,
  ) {}

  init(parameters: Float32Array): void {
    this.numerator = parameters.slice();
    this.weight = 1;
  }

  /** The push-sum weight w of this rank. */
  get pushSumWeight(): number {
    return this.weight;
  }

  async onGradients(): Promise<void> {}

  async onParameters(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome> {
    const x = this.state(parameters);
    const w = this.weight;
    // The step u = parameters − z, where z = fround(x / w) is what the last step wrote.
    for (let i = 0; i < x.length; i++) x[i] = x[i]! + (parameters[i]! - Math.fround(x[i]! / w));
    const result = await this.exchange.run(x, { stream: 'parameter', step: ctx.step, pattern: 'push-sum', weight: w }, callOptions(ctx));
    if (typeof result.weight !== 'number' || !(result.weight > 0)) {
      throw new CompositionError([this.name], `${this.name}: the exchange returned push-sum weight ${String(result.weight)} at step ${ctx.step}; it must be a positive number`);
    }
    this.weight = result.weight;
    for (let i = 0; i < x.length; i++) parameters[i] = x[i]! / this.weight;
    ctx.trace('pushSumWeight', this.weight);
    return { synced: false };
  }

  /**
   * Continue from `parameters`, which an outer optimizer made equal on every rank between two steps:
   * the numerator restarts from them and the push-sum weight from 1, as at the start (the
   * de-biased model is then exactly `parameters`).
   */
  restart(parameters: Float32Array): void {
    this.init(parameters);
  }

  /** By default, average the de-biased parameters exactly once; numerator and weight restart from it. */
  async finish(parameters: Float32Array, ctx: StepContext): Promise<void> {
    if (!this.options.finalAverage) return;
    await this.exchange.run(parameters, { stream: 'parameter', step: ctx.step, compress: false }, callOptions(ctx));
    this.init(parameters);
  }

  snapshot(): Snapshot {
    if (!this.numerator) throw new StateError(`${this.name}: no state before init`);
    return { numerator: this.numerator.slice(), weight: this.weight };
  }

  restore(snapshot: Snapshot): void {
    const fields = new StateFields(this.name, snapshot);
    this.numerator = fields.float32('numerator', this.numerator?.length).slice();
    this.weight = fields.number('weight', (n) => Number.isFinite(n) && n > 0, 'a positive number');
  }

  private state(parameters: Float32Array): Float32Array {
    if (!this.numerator) this.init(parameters);
    return this.numerator!;
  }
}

/**
 * SGP: push-sum gossip of the parameters every step, de-biased by the push-sum weight. Needs a
 * collective that runs push-sum, over any column-stochastic topology — by default in the paper the
 * time-varying one-peer exponential graph.
 *
 * @example
 * ```ts
 * plugins: [onePeerExponentialGraph(), pushSum(), stochasticGradientPush()]
 * ```
 */
export function stochasticGradientPush(options: StochasticGradientPushOptions = {}): PluginSpec<Required<StochasticGradientPushOptions>> {
  knownOptions('stochasticGradientPush', options, ['finalAverage']);
  const resolved = Object.freeze({ finalAverage: booleanOption('stochasticGradientPush', 'finalAverage', options.finalAverage, true) });
  return Object.freeze({
    kind: 'sync-policy' as const,
    name: 'stochasticGradientPush',
    options: resolved,
    provides: GUARANTEES.restartable,
    requires: Object.freeze([
      { capability: Capabilities.gossipPayloads, from: 'compressor' as const, reason: 'SGP mixes parameters by gossip, which carries uncompressed payloads only' },
      { capability: Capabilities.pushSum, from: 'collective' as const, reason: 'SGP gossips the parameters with push-sum every step' },
    ]),
    register(registrar) {
      registrar.register(SyncPolicy, { useFactory: (resolver) => new StochasticGradientPush(resolved, resolver.resolve(Exchange)) });
    },
  } satisfies PluginSpec<Required<StochasticGradientPushOptions>>);
}
