import { NonFiniteError } from '@syncopate/core';

/**
 * Throw a `NonFiniteError` naming the first NaN or ±Inf in `input`. `where` says who was
 * reading it, e.g. `topK compress (gradient/bucket-2)`.
 */
export function assertFinite(input: Float32Array, where: string, step?: number): void {
  // NaN and ±Inf are the floats whose 8 exponent bits are all ones: exponent + 1 reaches bit 8.
  // OR-ing integers keeps the loop free of branches and of long float-add latency chains.
  const bits = new Uint32Array(input.buffer, input.byteOffset, input.length);
  let bad = 0;
  for (let i = 0; i < bits.length; i++) bad |= (((bits[i]! >>> 23) & 0xff) + 1) >>> 8;
  if (bad !== 0) throwNonFinite(input, where, step);
}

/** Find the first non-finite element and throw for it (after a fused check found one). */
export function throwNonFinite(input: Float32Array, where: string, step?: number): never {
  for (let i = 0; i < input.length; i++) {
    if (!Number.isFinite(input[i]!)) throw new NonFiniteError(where, i, input[i]!, step);
  }
  throw new NonFiniteError(where, -1, Number.NaN, step);
}
