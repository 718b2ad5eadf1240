import { Momentum, knownOptions, numberOption, type PluginSpec, type Snapshot, type StepContext } from '@syncopate/core';
import { needsErrorFeedback, plainErrorFeedback } from './internal/error-feedback-memory.js';
import { float32Field, requireInit } from './internal/state-fields.js';

const NAME = 'globalMomentumCompression';

/** Options of {@link globalMomentumCompression}. */
export interface GlobalMomentumCompressionOptions {
  /** Momentum β in [0, 1). Default 0.9. */
  readonly momentum?: number;
}

/** {@link GlobalMomentumCompressionOptions} with defaults filled in. */
export type ResolvedGlobalMomentumCompressionOptions = Required<GlobalMomentumCompressionOptions>;

/**
 * Global momentum compression, GMC (Zhao, Xie, Gao & Li, "Global momentum compression for sparse
 * communication in distributed SGD", arXiv:1905.12948, 2019; in the survey of Tang et al., §IX-B): the momentum is
 * taken from the change of the *global* model, which every rank holds, instead of a local buffer,
 * so what the compressor drops still moves with the global momentum. On every rank, per step t:
 *
 *   u ← g + β·(x_{t−1} − x_t)/γ_{t−1}      (here, before the policy sends the gradient)
 *   v ← v + u,  send C(v),  v ← v − C(v)     (the error-feedback plugin and the compressor)
 *   x_{t+1} ← x_t − γ_t·mean(C(v))            (the policy and a base optimizer without momentum)
 *
 * (x_{t−1} − x_t)/γ_{t−1} is the previous global update direction, so with nothing dropped this is
 * heavy-ball momentum SGD on the averaged gradient. The survey writes u = g − m·(x_t − x_{t−1}), without
 * γ, and sums over ranks; we divide the model difference by γ (so the momentum is in gradient units
 * and means the same under any learning rate or schedule) and average, as every exchange does.
 * The base optimizer must run without momentum (`sgd()`).
 */
export class GlobalMomentumCompression implements Momentum {
  readonly name = NAME;
  readonly baseBuffer = 'keep' as const;
  private last: Float32Array | undefined;
  private direction: Float32Array | undefined;

  constructor(private readonly options: ResolvedGlobalMomentumCompressionOptions) {}

  init(parameters: Float32Array): void {
    this.last = parameters.slice();
    this.direction = new Float32Array(parameters.length);
  }

  onGradients(gradients: Float32Array): void {
    const direction = requireInit(NAME, this.direction, gradients.length, this.direction?.length);
    const beta = this.options.momentum;
    for (let i = 0; i < gradients.length; i++) gradients[i] = gradients[i]! + beta * direction[i]!;
  }

  onStep(parameters: Float32Array, ctx: StepContext): void {
    const last = requireInit(NAME, this.last, parameters.length, this.last?.length);
    const direction = this.direction!;
    for (let i = 0; i < parameters.length; i++) {
      direction[i] = (last[i]! - parameters[i]!) / ctx.lr;
      last[i] = parameters[i]!;
    }
  }

  snapshot(): Snapshot {
    return { last: requireInit(NAME, this.last).slice(), direction: this.direction!.slice() };
  }

  restore(snapshot: Snapshot): void {
    const last = float32Field(NAME, snapshot, 'last', this.last?.length);
    this.direction = float32Field(NAME, snapshot, 'direction', last.length);
    this.last = last;
  }
}

/**
 * Global momentum compression with a sparsifier and error feedback. Refused in `createTrainer`
 * without an error-feedback plugin, and next to `momentumCorrection()`.
 *
 * @example
 * ```ts
 * plugins: [bsp(), topK({ ratio: 0.01 }), errorFeedback(), globalMomentumCompression({ momentum: 0.9 })],
 * optimizer: sgd(),
 * ```
 */
export function globalMomentumCompression(options: GlobalMomentumCompressionOptions = {}): PluginSpec<ResolvedGlobalMomentumCompressionOptions> {
  knownOptions(NAME, options, ['momentum']);
  const resolved: ResolvedGlobalMomentumCompressionOptions = Object.freeze({
    momentum: numberOption(NAME, 'momentum', options.momentum, { min: 0, below: 1 }, 0.9),
  });
  const spec: PluginSpec<ResolvedGlobalMomentumCompressionOptions> = {
    kind: 'momentum',
    name: NAME,
    options: resolved,
    requires: Object.freeze([needsErrorFeedback(NAME)]),
    register(registrar) {
      registrar.register(Momentum, {
        useFactory: (resolver) => {
          plainErrorFeedback(NAME, resolver);
          return new GlobalMomentumCompression(resolved);
        },
      });
    },
  };
  return Object.freeze(spec);
}
