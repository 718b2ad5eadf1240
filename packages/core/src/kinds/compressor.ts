import type { Rng } from '../rng.js';
import type { Stateful } from '../state.js';
import { token } from '../token.js';

/**
 * How payloads from many ranks are combined.
 * - `sum`: the compressor reduces through dense float sums (identity, shared-mask Random-k,
 *   PowerSGD's P and Q), via {@link Compressor.reduce};
 * - `gather`: payloads differ in support or scale and are gathered, then combined
 *   (top-k, QSGD, fp16, count-sketch);
 * - `vote`: payloads are signs combined by majority (signSGD with majority vote).
 */
export type Aggregation = 'sum' | 'gather' | 'vote';

/**
 * One tensor (or piece of a tensor) of the model that a compressed buffer covers, relative to
 * that buffer: elements `offset` to `offset + length` hold it in row-major order, and the
 * product of `shape` is `length`.
 */
export interface CompressTensor {
  readonly offset: number;
  readonly length: number;
  readonly shape: readonly number[];
}

/** What a compressor knows about the call it is in. */
export interface CompressContext {
  readonly step: number;
  /** Which buffer this is, e.g. `gradient/bucket-2`; keys per-buffer state (warm starts). */
  readonly key: string;
  readonly rank: number;
  readonly size: number;
  /** Private randomness for this (step, key, rank). */
  readonly rng: Rng;
  /** Randomness every rank draws identically for this (step, key). */
  readonly sharedRng: Rng;
  /**
   * The model's tensors this buffer holds, buffer-relative and in order, when the exchange knows
   * the layout (optional). Layer-aware compressors (PowerSGD) compress each tensor on its own;
   * absent, they treat the buffer as one flat vector. A tensor split between buckets arrives as
   * its pieces: the whole rows it covers as a `[rows, ...rest]` tensor, ragged ends as 1-D pieces.
   */
  readonly tensors?: readonly CompressTensor[];
}

/** The communication a `sum` compressor may use inside {@link Compressor.reduce}. */
export interface ReduceLink {
  readonly size: number;
  /** In place sum over ranks. */
  allreduce(buffer: Float32Array): Promise<void>;
  /** Bytes of any length from every rank, in rank order. */
  allgather(data: Uint8Array): Promise<Uint8Array[]>;
}

/**
 * A gradient (or model-delta) compressor.
 *
 * Every compressor can serialise its payload to bytes with a versioned header and checksum
 * (`compress` / `decompress`), so it crosses any transport and corruption is detected.
 * Compressors hold no error-feedback memory; that is the {@link ErrorFeedback} plugin's job.
 */
export interface Compressor extends Partial<Stateful> {
  readonly name: string;
  readonly aggregation: Aggregation;
  /** E[decompress(compress(x))] = x. */
  readonly unbiased: boolean;
  /**
   * For biased compressors, δ in ‖C(x) − x‖² ≤ (1 − δ)‖x‖² (e.g. k/d for top-k), when known.
   */
  readonly contraction?: number;
  /** Compressed bytes ÷ dense float32 bytes for `length` elements, without compressing. */
  estimateRatio(length: number): number;
  /** Exact size in bytes of `compress(input, ctx)`. */
  wireBytes(input: Float32Array, ctx: CompressContext): number;
  /** Encode `input` (not modified) into a self-describing payload. Throws `NonFiniteError` on NaN/Inf. */
  compress(input: Float32Array, ctx: CompressContext): Uint8Array;
  /** Decode `payload` into `out` (overwritten). Throws `PayloadError` on a corrupt or wrong-length payload. */
  decompress(payload: Uint8Array, out: Float32Array, ctx: CompressContext): void;
  /**
   * Combine payloads from every rank into `out` as their sum (for `vote`: `size` times the
   * voted estimate). Defaults to summing `decompress` of each; sparse and vote compressors
   * override it with a faster or different merge.
   */
  combine?(payloads: readonly Uint8Array[], out: Float32Array, ctx: CompressContext): void;
  /**
   * `sum` aggregation: write the sum over ranks of the compressed values into `out`, and this
   * rank's own decoded contribution into `local` (for error feedback), using `link`.
   */
  reduce?(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void>;
}

/** The service key of the {@link Compressor} interface. */
export const Compressor = token<Compressor>('syncopate/Compressor');
