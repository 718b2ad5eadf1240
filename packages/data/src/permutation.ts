import type { Rng } from '@syncopate/core';

/**
 * Shuffle `values` in place with the Fisher–Yates algorithm (Durstenfeld's variant, "Algorithm
 * 235: Random permutation", CACM 1964), drawing from `rng`. Every order is equally likely, and
 * the result is a pure function of the generator's key.
 */
export function shuffleInPlace(values: Int32Array, rng: Rng): Int32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
  return values;
}

/** A seeded uniformly random permutation of `0 … n-1`. */
export function randomPermutation(n: number, rng: Rng): Int32Array {
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) values[i] = i;
  return shuffleInPlace(values, rng);
}
