import { compressContext, instantiateCompressor, linkedReduceRanks, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { gTopK } from './g-top-k.js';

/** Brute force: sum of the ranks' local top-k, then the top k of the sum (ties to lower index). */
function reference(inputs: Float32Array[], k: number): Float32Array {
  const n = inputs[0]!.length;
  const top = (x: ArrayLike<number>) => [...Array(n).keys()].sort((a, b) => Math.abs(x[b]!) - Math.abs(x[a]!) || a - b).slice(0, k);
  const sum = new Float32Array(n);
  for (const x of inputs) for (const i of top(x)) sum[i] += x[i]!;
  const out = new Float32Array(n);
  for (const i of top(sum)) out[i] = sum[i]!;
  return out;
}

describe('gTopK', () => {
  it('reduces on 4 ranks to the global top-k of the summed local top-ks; locals add up to it', async () => {
    const n = 500;
    const k = 10;
    const links = linkedReduceRanks(4);
    const inputs = links.map((_, r) => seededNormals(n, 70 + r));
    const results = await Promise.all(
      links.map(async (link, r) => {
        const out = new Float32Array(n);
        const local = new Float32Array(n);
        await instantiateCompressor(gTopK({ ratio: k / n })).reduce!(inputs[r]!, out, local, compressContext({ rank: r, size: 4 }), link);
        return { out, local };
      }),
    );
    const expected = reference(inputs, k);
    for (const { out } of results) {
      expect(out).toEqual(expected);
      expect(out.filter((v) => v !== 0).length).toBeLessThanOrEqual(k);
    }
    const total = new Float32Array(n);
    for (const { local } of results) for (let i = 0; i < n; i++) total[i] += local[i]!;
    for (let i = 0; i < n; i++) expect(total[i]).toBeCloseTo(expected[i]!, 5);
  });

  it('keeps local values that lost the global selection out of local, so error feedback keeps them', async () => {
    const links = linkedReduceRanks(2);
    const inputs = [new Float32Array([5, 0, 0, 1]), new Float32Array([0, 4, 0, -0.5])];
    const locals = await Promise.all(
      links.map(async (link, r) => {
        const local = new Float32Array(4);
        await instantiateCompressor(gTopK({ ratio: 0.25 })).reduce!(inputs[r]!, new Float32Array(4), local, compressContext({ rank: r, size: 2 }), link);
        return [...local];
      }),
    );
    expect(locals).toEqual([
      [5, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });
});
