import { createRng } from '@syncopate/core';

/** What a piece of scenario data is keyed by: every rank can recompute any rank's data. */
export interface DataKey {
  readonly seed: number;
  /** The rank that contributes the data. */
  readonly rank: number;
  /** The scenario's index and case (any integer ≥ 0). */
  readonly step: number;
  readonly stream: string;
}

/** Uniform values in [−1, 1), rounded to the array's type. */
export function randomFloats<T extends Float32Array | Float64Array>(Ctor: new (length: number) => T, length: number, key: DataKey): T {
  const rng = createRng(key);
  const out = new Ctor(length);
  for (let i = 0; i < length; i++) out[i] = rng.nextFloat() * 2 - 1;
  return out;
}

/** Uniform integers in [−2^20, 2^20): sums over up to 2^10 ranks cannot overflow int32. */
export function randomInts(length: number, key: DataKey): Int32Array {
  const rng = createRng(key);
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.nextInt(1 << 21) - (1 << 20);
  return out;
}

/** Uniform bytes. */
export function randomBytes(length: number, key: DataKey): Uint8Array {
  const rng = createRng(key);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.nextInt(256);
  return out;
}
