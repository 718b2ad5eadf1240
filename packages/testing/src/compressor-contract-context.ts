import { SHARED_RANK, createRng, type CompressContext, type CompressTensor } from '@syncopate/core';

/** What a test compression call is keyed by; every field has a default. */
export interface CompressContextInit {
  readonly seed?: number;
  readonly step?: number;
  readonly key?: string;
  readonly rank?: number;
  readonly size?: number;
  /** The tensors the buffer holds (buffer-relative); omitted, the context has none. */
  readonly tensors?: readonly CompressTensor[];
}

/**
 * A `CompressContext` as the exchange builds one: private randomness keyed by
 * (seed, rank, step, key) and shared randomness keyed by (seed, step, key) for every rank.
 *
 * @example
 * ```ts
 * const payload = compressor.compress(x, compressContext({ seed: 1, step: 3, rank: 2, size: 4 }));
 * ```
 */
export function compressContext(init: CompressContextInit = {}): CompressContext {
  const seed = init.seed ?? 1;
  const step = init.step ?? 0;
  const key = init.key ?? 'gradient/bucket-0';
  const rank = init.rank ?? 0;
  const size = init.size ?? 1;
  return {
    step,
    key,
    rank,
    size,
    rng: createRng({ seed, rank, step, stream: key }),
    sharedRng: createRng({ seed, rank: SHARED_RANK, step, stream: key }),
    ...(init.tensors && { tensors: init.tensors }),
  };
}

/** `length` standard-normal float32 values drawn from `seed` (test inputs). */
export function seededNormals(length: number, seed: number): Float32Array {
  const rng = createRng({ seed, rank: 0, step: 0, stream: 'test-input' });
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.nextNormal();
  return out;
}
