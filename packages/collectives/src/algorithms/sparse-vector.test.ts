import { PayloadError, createRng } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { decodeSparse, encodeSparse, mergeSparse, sparseTopK, toDense, type SparseVector } from './sparse-vector.js';

const vector = (length: number, entries: [number, number][]): SparseVector => ({
  length,
  indices: Int32Array.from(entries, (e) => e[0]),
  values: Float32Array.from(entries, (e) => e[1]),
});

describe('sparse vectors', () => {
  it('round-trip through their wire form', () => {
    const v = vector(100, [[3, 1.5], [99, -2], [0, 0.25]]);
    const back = decodeSparse(encodeSparse(v));
    expect(back).toEqual(v);
    expect(encodeSparse(v).length).toBe(8 + 3 * 8);
  });

  it('reject truncated payloads and out-of-range indices with a PayloadError', () => {
    const bytes = encodeSparse(vector(10, [[1, 1], [2, 2]]));
    expect(() => decodeSparse(bytes.subarray(0, bytes.length - 1), 'rank 3')).toThrow(/from rank 3: header says 2 entries \(24 bytes\), got 23 bytes/);
    expect(() => decodeSparse(new Uint8Array(3))).toThrow(PayloadError);
    expect(() => decodeSparse(encodeSparse(vector(10, [[10, 1]])))).toThrow(/index 10 outside \[0, 10\)/);
  });

  it('merge into the exact sum over the union of supports', () => {
    const merged = mergeSparse([vector(8, [[1, 1], [5, 2]]), vector(8, [[5, 3], [0, -1]]), vector(8, [[7, 4]])]);
    expect([...merged.indices]).toEqual([0, 1, 5, 7]);
    expect([...merged.values]).toEqual([-1, 1, 5, 4]);
    expect([...toDense(merged)]).toEqual([-1, 1, 0, 0, 0, 5, 0, 4]);
    expect(() => mergeSparse([vector(8, []), vector(9, [])])).toThrow(PayloadError);
  });

  it('sparseTopK keeps exactly the k entries of largest magnitude (lower index on ties)', () => {
    const rng = createRng({ seed: 5, rank: 0, step: 0, stream: 'sparse-topk' });
    for (let trial = 0; trial < 50; trial++) {
      const count = rng.nextInt(40);
      const indices = new Set<number>();
      while (indices.size < count) indices.add(rng.nextInt(1000));
      const entries = [...indices].map((i) => [i, Math.round(rng.nextNormal() * 8) / 4] as [number, number]);
      const k = rng.nextInt(45);
      const top = sparseTopK(vector(1000, entries), k);
      const expected = [...entries].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0] - b[0]).slice(0, k).sort((a, b) => a[0] - b[0]);
      expect([...top.indices]).toEqual(expected.map((e) => e[0]));
      expect([...top.values]).toEqual(expected.map((e) => Math.fround(e[1])));
    }
  });
});
