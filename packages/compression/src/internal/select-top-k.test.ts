import { NonFiniteError } from '@syncopate/core';
import { seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { selectTopK } from './select-top-k.js';

/** The oracle: a full sort by magnitude, ties to the lower index. */
function bySort(values: Float32Array, k: number): number[] {
  return [...values.keys()]
    .sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!) || a - b)
    .slice(0, k)
    .sort((a, b) => a - b);
}

describe('selectTopK', () => {
  it('agrees with a full sort on random inputs for every k', () => {
    for (const n of [1, 2, 17, 300, 2049]) {
      const values = seededNormals(n, n);
      for (const k of [1, 2, Math.ceil(n / 100), Math.ceil(n / 3), n - 1, n]) {
        if (k < 1) continue;
        expect([...selectTopK(values, k, 'test')], `n=${n} k=${k}`).toEqual(bySort(values, k));
      }
    }
  });

  it('breaks ties by lower index, across signs, and keeps exactly k', () => {
    const values = new Float32Array([1, -3, 3, 2, -3, 3, 0, 3]);
    expect([...selectTopK(values, 2, 'test')]).toEqual([1, 2]);
    expect([...selectTopK(values, 4, 'test')]).toEqual([1, 2, 4, 5]);
    expect([...selectTopK(values, 6, 'test')]).toEqual([1, 2, 3, 4, 5, 7]);
  });

  it('handles values that share the top 21 bits (the deepest refinement level)', () => {
    const base = 1.5;
    const values = new Float32Array(64);
    const bits = new Uint32Array(values.buffer);
    for (let i = 0; i < 64; i++) {
      values[i] = base;
      bits[i] = bits[i]! + ((i * 37) % 64); // differ only in the low mantissa bits
    }
    expect([...selectTopK(values, 10, 'test')]).toEqual(bySort(values, 10));
  });

  it('selects zeros by index when fewer than k elements are non-zero', () => {
    expect([...selectTopK(new Float32Array([0, 0, 5, 0, -0, 0]), 3, 'test')]).toEqual([0, 1, 2]);
  });

  it('throws NonFiniteError naming the index of a NaN or Inf', () => {
    const values = seededNormals(100, 1);
    values[42] = Number.NaN;
    expect(() => selectTopK(values, 5, 'topK compress (b)')).toThrow(NonFiniteError);
    values[42] = 1;
    values[7] = Number.NEGATIVE_INFINITY;
    expect(() => selectTopK(values, 5, 'topK compress (b)')).toThrow(/non-finite value -Infinity at index 7/);
  });
});
