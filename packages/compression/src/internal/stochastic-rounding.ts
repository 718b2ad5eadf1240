/**
 * The per-element loops of the stochastic compressors (QSGD, 8-bit min-max, TernGrad, natural
 * compression), next to the counter-based uniform they draw from.
 *
 * They live in one module with `uniformAt` on purpose: V8 does not inline a function imported
 * from another module into a hot loop, and the call would cost more than the rounding.
 *
 * Stochastic rounding is written ⌊t + u⌋ with u uniform in [0, 1): it is ⌊t⌋ + 1 exactly when
 * u ≥ 1 − (t − ⌊t⌋), i.e. with probability t − ⌊t⌋, so E⌊t + u⌋ = t. One add and one truncation,
 * no data-dependent branch (a coin-flip branch mispredicts half the time).
 */
import type { Rng } from '@syncopate/core';
import { deriveRng } from './random-stream.js';

/*
 * Counter-based uniforms.
 *
 * Element i of a call draws u_i = mix(i, key), where the 32-bit key comes from a stream derived
 * from the context's generator (so it is fixed by seed, rank, step and buffer key) and mix is
 * "lowbias32", a 32-bit integer hash with two multiplies found by C. Wellons' hash prospector
 * (2018), applied to i ⊕ key. Unlike a sequential generator, the draws do not depend on one
 * another, so a quantisation loop computes them inline with no serial chain: QSGD spends well
 * under a nanosecond per element on randomness this way, against ~1.5 ns with xoshiro128**
 * filling a buffer. The same idea as Philox (Salmon et al., SC 2011), with a lighter mix.
 */

/** The 32-bit key of the draws of (`rng`'s key, `label`). */
export function counterKey(rng: Rng, label: string): number {
  return deriveRng(rng, label).nextUint32() | 0;
}

/** A uniform in [0, 1) with 24 random bits for element `i` under `key`. */
export function uniformAt(i: number, key: number): number {
  let h = i ^ key;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 8) * 5.9604644775390625e-8; // 2^-24
}

/**
 * `out[i] = ⌊(input[i] + shift) · scale + u_i⌋ + base` for i in [start, end). The caller
 * guarantees (x + shift) · scale > −offset (with `offset` > 0, which makes the truncation a floor
 * for negative values) and that the result fits `out`.
 */
export function stochasticFloor(
  input: Float32Array,
  start: number,
  end: number,
  shift: number,
  scale: number,
  offset: number,
  base: number,
  key: number,
  out: Int8Array | Uint8Array | Uint32Array,
): void {
  const back = base - offset;
  for (let i = start; i < end; i++) out[i] = (((input[i]! + shift) * scale + offset + uniformAt(i, key)) | 0) + back;
}

/**
 * TernGrad's digits, five per byte (0: zero, 1: +1, 2: −1): element i is kept with probability
 * |x|·inverse (≤ 1) as ⌊|x|·inverse + u⌋.
 */
export function ternaryDigits(input: Float32Array, inverse: number, key: number, out: Uint8Array): void {
  const n = input.length;
  const bits = new Uint32Array(input.buffer, input.byteOffset, n);
  const whole = n - (n % 5);
  let o = 0;
  for (let i = 0; i < whole; i += 5) {
    out[o++] =
      digit(input, bits, i, inverse, key) +
      3 * digit(input, bits, i + 1, inverse, key) +
      9 * digit(input, bits, i + 2, inverse, key) +
      27 * digit(input, bits, i + 3, inverse, key) +
      81 * digit(input, bits, i + 4, inverse, key);
  }
  if (whole < n) {
    let byte = 0;
    for (let i = whole, weight = 1; i < n; i++, weight *= 3) byte += weight * digit(input, bits, i, inverse, key);
    out[o] = byte;
  }
}

/** 0, 1 (kept, positive) or 2 (kept, negative); the sign comes from the float's sign bit. */
function digit(input: Float32Array, bits: Uint32Array, i: number, inverse: number, key: number): number {
  const keep = (Math.abs(input[i]!) * inverse + uniformAt(i, key)) | 0; // 0 or 1
  return keep * (1 + (bits[i]! >>> 31));
}

/**
 * Natural compression's biased exponents: keep the float32 exponent, plus one with probability
 * mantissa / 2^23 (the unbiased rounding to a power of two). Returns whether a NaN/Inf was seen.
 */
export function naturalExponents(input: Float32Array, key: number, out: Uint8Array): boolean {
  const bits = new Uint32Array(input.buffer, input.byteOffset, input.length);
  let nonFinite = 0;
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i]!;
    const exponent = (b >>> 23) & 0xff;
    nonFinite |= (exponent + 1) >>> 8;
    // ⌊m / 2^23 + u⌋ is 1 with probability m / 2^23; exponent 254 cannot round up (2^128 is no float32).
    const up = ((b & 0x7fffff) * 1.1920928955078125e-7 + uniformAt(i, key)) | 0;
    out[i] = exponent + (up & ((exponent - 254) >>> 31));
  }
  return nonFinite !== 0;
}
