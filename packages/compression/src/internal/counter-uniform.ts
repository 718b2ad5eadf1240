/**
 * Counter-based uniforms for per-element stochastic rounding.
 *
 * Element i of a call draws u_i = mix(i, key), where the 32-bit key comes from a stream derived
 * from the context's generator (so it is fixed by seed, rank, step and buffer key) and mix is the
 * murmur3 32-bit finaliser of (i ⊕ key)·φ. Unlike a sequential generator, the draws do not depend
 * on one another, so a quantisation loop computes them inline with no serial chain: QSGD spends
 * ~0.15 ns per element on randomness this way, against ~1.5 ns with xoshiro128** filling a buffer.
 * The same idea as Philox (Salmon et al., SC 2011), with a lighter mixing function.
 */
import type { Rng } from '@syncopate/core';
import { deriveRng } from './random-stream.js';

/** 2^-24. */
export const UNIT_24 = 5.9604644775390625e-8;

/** The 32-bit key of the draws of (`rng`'s key, `label`). */
export function counterKey(rng: Rng, label: string): number {
  return deriveRng(rng, label).nextUint32() | 0;
}

/** 32 uniform bits for element `i` under `key`. */
export function counterBits(i: number, key: number): number {
  let h = Math.imul(i ^ key, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform in [0, 1) with 24 random bits for element `i` under `key`. */
export function counterUniform(i: number, key: number): number {
  return (counterBits(i, key) >>> 8) * UNIT_24;
}
