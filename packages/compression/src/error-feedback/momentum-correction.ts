import {
  CompositionError,
  ErrorFeedback,
  LayoutMismatchError,
  Transport,
  booleanOption,
  knownOptions,
  numberOption,
  type PluginSpec,
  type Snapshot,
} from '@syncopate/core';
import { ERROR_FEEDBACK_CAPABILITY } from '../capabilities.js';
import { KeyedBuffers, expectFormat } from '../internal/keyed-buffers.js';

const NAME = 'momentumCorrection';
const FORMAT = 'momentumCorrection/1';

/** Options of {@link momentumCorrection}. */
export interface MomentumCorrectionOptions {
  /** Momentum coefficient m in u ← m·u + g. Default 0.9. */
  readonly momentum?: number;
  /**
   * Global gradient-norm threshold; each rank clips its buffer to clipNorm / √size before
   * accumulating (local gradient clipping). Default: no clipping.
   */
  readonly clipNorm?: number;
  /** Clear the momentum u where elements were sent (momentum factor masking). Default true. */
  readonly factorMasking?: boolean;
}

/** {@link MomentumCorrectionOptions} with defaults filled in. */
export interface ResolvedMomentumCorrectionOptions {
  readonly momentum: number;
  readonly clipNorm?: number;
  readonly factorMasking: boolean;
}

/**
 * The error-feedback side of Deep Gradient Compression (Lin et al., "Deep gradient compression:
 * reducing the communication bandwidth for distributed training", ICLR 2018), per buffer key:
 *
 * - local gradient clipping: g ← g · min(1, thr_local / ‖g‖₂) with thr_local = clipNorm · size^(−1/2),
 *   applied before anything is accumulated (survey Eqs. 27–28);
 * - momentum correction: u ← m·u + g, v ← v + u, and v is what gets compressed;
 * - after sending: v ← v − C(v) (the residual) and, with factor masking, u ← 0 where C(v) ≠ 0.
 *
 * It takes the place of {@link errorFeedback} in the composition (it is the residual memory),
 * and the base optimizer should then run without momentum. It also works with any sparsifier,
 * not only {@link deepGradientCompression}.
 */
export class MomentumCorrection implements ErrorFeedback {
  readonly name = NAME;
  private readonly velocity = new KeyedBuffers(NAME);
  private readonly accumulated = new KeyedBuffers(NAME);
  /**
   * m·u + g of the step in progress, by key (a scratch buffer kept across steps): `compensate`
   * leaves u and v as they are and `update` commits them, so a step refused in between (a
   * compressor that stops on a NaN, a skipped step) leaves the memory exactly as after the last
   * good step. `staged` holds the keys whose scratch holds such a step.
   */
  private readonly next = new Map<string, Float32Array>();
  private readonly staged = new Set<string>();

  constructor(
    private readonly momentum: number,
    private readonly localClipNorm: number | undefined,
    private readonly factorMasking: boolean,
  ) {}

  compensate(key: string, x: Float32Array): void {
    if (this.localClipNorm !== undefined) clip(x, this.localClipNorm);
    const u = this.velocity.get(key, x.length);
    const v = this.accumulated.get(key, x.length);
    let next = this.next.get(key);
    if (next?.length !== x.length) {
      next = new Float32Array(x.length);
      this.next.set(key, next);
    }
    const m = this.momentum;
    for (let i = 0; i < x.length; i++) {
      next[i] = m * u[i]! + x[i]!;
      x[i] = v[i]! + next[i]!;
    }
    this.staged.add(key);
  }

  update(key: string, compensated: Float32Array, transmitted: Float32Array): void {
    if (compensated.length !== transmitted.length) {
      throw new LayoutMismatchError(`${NAME}.update('${key}'): compensated has ${compensated.length} elements but transmitted has ${transmitted.length}`);
    }
    const v = this.accumulated.get(key, compensated.length);
    const u = this.velocity.get(key, compensated.length);
    // The staged m·u + g becomes u (0 where sent, with factor masking), in the same pass as v.
    const next = this.staged.delete(key) ? this.next.get(key) : undefined;
    const committed = next?.length === u.length ? next : u;
    for (let i = 0; i < v.length; i++) {
      v[i] = compensated[i]! - transmitted[i]!;
      u[i] = this.factorMasking && transmitted[i] !== 0 ? 0 : committed[i]!;
    }
  }

  residual(key: string, length: number): Float32Array {
    return this.accumulated.find(key, length)?.slice() ?? new Float32Array(length);
  }

  /** The momentum u of `key` (zeros if none yet), for inspection and tests. */
  momentumOf(key: string, length: number): Float32Array {
    return this.velocity.find(key, length)?.slice() ?? new Float32Array(length);
  }

  reset(key?: string): void {
    this.velocity.delete(key);
    this.accumulated.delete(key);
    if (key === undefined) {
      this.next.clear();
      this.staged.clear();
    } else {
      this.next.delete(key);
      this.staged.delete(key);
    }
  }

  snapshot(): Snapshot {
    return { format: FORMAT, velocity: this.velocity.toState(), accumulated: this.accumulated.toState() };
  }

  restore(snapshot: Snapshot): void {
    expectFormat(snapshot, FORMAT, NAME);
    this.velocity.fromState(snapshot.velocity, 'velocity');
    this.accumulated.fromState(snapshot.accumulated, 'accumulated');
    this.staged.clear();
  }
}

function clip(x: Float32Array, limit: number): void {
  let sumOfSquares = 0;
  for (let i = 0; i < x.length; i++) sumOfSquares += x[i]! * x[i]!;
  const norm = Math.sqrt(sumOfSquares);
  if (norm <= limit) return;
  const scale = limit / norm;
  for (let i = 0; i < x.length; i++) x[i] *= scale;
}

/**
 * DGC's momentum correction, momentum factor masking and local gradient clipping, as the
 * composition's error-feedback plugin.
 *
 * @example
 * ```ts
 * plugins: [deepGradientCompression({ ratio: 0.001 }), momentumCorrection({ momentum: 0.9, clipNorm: 5 })]
 * ```
 */
export function momentumCorrection(options: MomentumCorrectionOptions = {}): PluginSpec<ResolvedMomentumCorrectionOptions> {
  knownOptions(NAME, options, ['momentum', 'clipNorm', 'factorMasking']);
  const resolved: ResolvedMomentumCorrectionOptions = {
    momentum: numberOption(NAME, 'momentum', options.momentum, { min: 0, below: 1 }, 0.9),
    ...(options.clipNorm === undefined ? {} : { clipNorm: numberOption(NAME, 'clipNorm', options.clipNorm, { above: 0 }) }),
    factorMasking: booleanOption(NAME, 'factorMasking', options.factorMasking, true),
  };
  const spec: PluginSpec<ResolvedMomentumCorrectionOptions> = {
    kind: 'error-feedback',
    name: NAME,
    options: Object.freeze(resolved),
    provides: Object.freeze([ERROR_FEEDBACK_CAPABILITY]),
    register(registrar) {
      registrar.register(ErrorFeedback, {
        useFactory: (resolver) => {
          let localClipNorm: number | undefined;
          if (resolved.clipNorm !== undefined) {
            const transport = resolver.resolveOptional(Transport);
            if (!transport) {
              throw new CompositionError([NAME], `${NAME}: option 'clipNorm' scales by the number of ranks, but no Transport is registered`);
            }
            localClipNorm = resolved.clipNorm / Math.sqrt(transport.size);
          }
          return new MomentumCorrection(resolved.momentum, localClipNorm, resolved.factorMasking);
        },
      });
    },
  };
  return Object.freeze(spec);
}
