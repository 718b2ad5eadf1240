import {
  Momentum,
  Scheduler,
  booleanOption,
  knownOptions,
  numberOption,
  type Bucket,
  type ErrorFeedback,
  type PluginSpec,
  type Snapshot,
  type StepContext,
} from '@syncopate/core';
import { bucketsInOrder, memoryKey } from './internal/buckets.js';
import { needsErrorFeedback, plainErrorFeedback } from './internal/error-feedback-memory.js';
import { float32Field, requireInit } from './internal/state-fields.js';

const NAME = 'deepGradientCompressionMomentum';

/** Options of {@link deepGradientCompressionMomentum}. */
export interface DeepGradientCompressionMomentumOptions {
  /** Momentum m in [0, 1) of u ← m·u + g. Default 0.9 (the paper's). */
  readonly momentum?: number;
  /** Momentum factor masking: clear u where this rank's accumulated update was sent. Default true. */
  readonly factorMasking?: boolean;
}

/** {@link DeepGradientCompressionMomentumOptions} with defaults filled in. */
export type ResolvedDeepGradientCompressionMomentumOptions = Required<DeepGradientCompressionMomentumOptions>;

/**
 * The momentum part of Deep Gradient Compression (Lin, Han, Mao, Wang & Dally, "Deep gradient
 * compression: reducing the communication bandwidth for distributed training", ICLR 2018):
 * momentum correction and momentum factor masking, as a momentum plugin in front of any
 * sparsifier (`topK`, `deepGradientCompression`, `randomK`…) and the composition's error feedback.
 * On every rank, per step:
 *
 *   u ← m·u + g                 (here, before the policy sends the gradient; g is replaced by u)
 *   v ← v + u,  send C(v),  v ← v − C(v)      (the error-feedback plugin and the compressor)
 *   u ← 0 where C(v) ≠ 0        (factor masking, here, after the exchange)
 *
 * Accumulating the *momentum* rather than the gradient in v is the correction: what is sent late
 * carries the momentum it would have had. Masking stops the stale momentum of an element that was
 * just sent from pushing it again. The base optimizer must run without momentum (`sgd()`).
 *
 * Which elements were sent is read from the error-feedback memory: after an exchange that changed
 * this rank's memory of the `gradient` stream, element i was sent when its memory differs from
 * the compensated value u + v_old. An exchange that drops nothing leaves the memory at zero and
 * masks nothing, so with the identity compressor this is momentum SGD on the averaged momentum.
 * With a policy that does not send gradients (local SGD) nothing is masked: u is local momentum.
 */
export class DeepGradientCompressionMomentum implements Momentum {
  readonly name = NAME;
  readonly baseBuffer = 'keep' as const;
  private velocity: Float32Array | undefined;
  /** u + v_old per element, as the error feedback compensates it, for this step's buckets. */
  private compensated: Float32Array | undefined;
  /** The error-feedback memory before this step's exchange. */
  private before: Float32Array | undefined;
  private buckets: readonly Bucket[] = [];
  private pending = false;

  constructor(
    private readonly options: ResolvedDeepGradientCompressionMomentumOptions,
    private readonly memory: ErrorFeedback,
    private readonly scheduler?: Scheduler,
  ) {}

  init(parameters: Float32Array, ctx: StepContext): void {
    this.velocity = new Float32Array(parameters.length);
    this.compensated = new Float32Array(parameters.length);
    this.before = new Float32Array(parameters.length);
    this.buckets = bucketsInOrder(ctx.layout, this.scheduler);
  }

  onGradients(gradients: Float32Array): void {
    const u = requireInit(NAME, this.velocity, gradients.length, this.velocity?.length);
    const m = this.options.momentum;
    for (let i = 0; i < u.length; i++) {
      u[i] = m * u[i]! + gradients[i]!;
      gradients[i] = u[i]!;
    }
    if (!this.options.factorMasking) return;
    const before = this.before!;
    const compensated = this.compensated!;
    for (const bucket of this.buckets) {
      const residual = this.memory.residual(memoryKey('gradient', bucket), bucket.length);
      before.set(residual, bucket.offset);
      for (let j = 0; j < bucket.length; j++) compensated[bucket.offset + j] = u[bucket.offset + j]! + residual[j]!;
    }
    this.pending = true;
  }

  onStep(): void {
    if (!this.pending) return;
    this.pending = false;
    const u = this.velocity!;
    const before = this.before!;
    const compensated = this.compensated!;
    for (const bucket of this.buckets) {
      const after = this.memory.residual(memoryKey('gradient', bucket), bucket.length);
      const { offset, length } = bucket;
      let changed = false;
      for (let j = 0; j < length && !changed; j++) changed = after[j] !== before[offset + j];
      if (!changed) continue;
      for (let j = 0; j < length; j++) if (after[j] !== compensated[offset + j]) u[offset + j] = 0;
    }
  }

  /** A copy of the momentum u (for inspection and tests). */
  momentumBuffer(): Float32Array {
    return requireInit(NAME, this.velocity).slice();
  }

  snapshot(): Snapshot {
    return { velocity: this.momentumBuffer() };
  }

  restore(snapshot: Snapshot): void {
    const velocity = float32Field(NAME, snapshot, 'velocity', this.velocity?.length);
    this.velocity = velocity;
    this.compensated ??= new Float32Array(velocity.length);
    this.before ??= new Float32Array(velocity.length);
    this.pending = false;
  }
}

/**
 * DGC's momentum correction and factor masking, composed with a sparsifier and error feedback.
 * Refused in `createTrainer` without an error-feedback plugin, and next to
 * `momentumCorrection()` (which would apply momentum a second time).
 *
 * @example
 * ```ts
 * plugins: [bsp(), topK({ ratio: 0.01 }), errorFeedback(), deepGradientCompressionMomentum({ momentum: 0.9 })],
 * optimizer: sgd(),
 * ```
 */
export function deepGradientCompressionMomentum(
  options: DeepGradientCompressionMomentumOptions = {},
): PluginSpec<ResolvedDeepGradientCompressionMomentumOptions> {
  knownOptions(NAME, options, ['momentum', 'factorMasking']);
  const resolved: ResolvedDeepGradientCompressionMomentumOptions = Object.freeze({
    momentum: numberOption(NAME, 'momentum', options.momentum, { min: 0, below: 1 }, 0.9),
    factorMasking: booleanOption(NAME, 'factorMasking', options.factorMasking, true),
  });
  const spec: PluginSpec<ResolvedDeepGradientCompressionMomentumOptions> = {
    kind: 'momentum',
    name: NAME,
    options: resolved,
    requires: Object.freeze([needsErrorFeedback(NAME)]),
    register(registrar) {
      registrar.register(Momentum, {
        useFactory: (resolver) => new DeepGradientCompressionMomentum(resolved, plainErrorFeedback(NAME, resolver), resolver.resolveOptional(Scheduler)),
      });
    },
  };
  return Object.freeze(spec);
}
