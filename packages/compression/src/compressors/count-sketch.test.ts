import { compressContext, instantiateCompressor, linkedReduceRanks, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { countSketch } from './count-sketch.js';

/** Small noise plus `spikes` large entries at known positions. */
function spiky(n: number, spikes: number[], seed: number): Float32Array {
  const x = seededNormals(n, seed).map((v) => v * 0.01);
  spikes.forEach((i, j) => (x[i] = (j % 2 ? -1 : 1) * (10 + j)));
  return x;
}

describe('countSketch', () => {
  const n = 20_000;
  const spikes = [7, 1234, 5000, 9999, 15_000, 19_999, 42, 777, 3333, 12_345];
  const k = spikes.length;

  // 100 counters per heavy hitter: an index then shares 3 of its 5 counters with a spike with
  // probability ~ C(5,3)/100³, so false heavy hitters are unlikely among 20 000 indices.
  const options = { ratio: k / n, columnsPerK: 100 };

  it('recovers the heavy hitters of a vector from its sketch', () => {
    const x = spiky(n, spikes, 1);
    const c = instantiateCompressor(countSketch(options));
    const out = new Float32Array(n);
    const payload = c.compress(x, compressContext());
    c.decompress(payload, out, compressContext());
    expect([...out.keys()].filter((i) => out[i] !== 0)).toEqual([...spikes].sort((a, b) => a - b));
    for (const i of spikes) expect(Math.abs(out[i]! - x[i]!)).toBeLessThan(0.2);
    expect(payload.byteLength).toBe(16 + 8 + 4 * 5 * 1000);
  });

  it('is linear: the summed sketches of 4 ranks recover the heavy hitters of the summed vectors', () => {
    const parts = [0, 1, 2, 3].map((r) => spiky(n, spikes, 10 + r).map((v) => v / 4));
    const c = instantiateCompressor(countSketch(options));
    const ctx = compressContext({ step: 3 });
    const out = new Float32Array(n);
    c.combine!(
      parts.map((x, r) => c.compress(x, compressContext({ step: 3, rank: r, size: 4 }))),
      out,
      ctx,
    );
    expect([...out.keys()].filter((i) => out[i] !== 0)).toEqual([...spikes].sort((a, b) => a - b));
  });

  it('with a second round, returns the exact sums at the recovered indices', async () => {
    const links = linkedReduceRanks(4);
    const inputs = links.map((_, r) => spiky(n, spikes, 20 + r));
    const outs = await Promise.all(
      links.map(async (link, r) => {
        const out = new Float32Array(n);
        await instantiateCompressor(countSketch({ ...options, columnsPerK: 20, secondRound: 3 })).reduce!(inputs[r]!, out, new Float32Array(n), compressContext({ rank: r, size: 4 }), link);
        return out;
      }),
    );
    for (const i of spikes) expect(outs[0]![i]).toBeCloseTo(inputs.reduce((a, x) => a + x[i]!, 0), 4);
    for (const out of outs) expect(out).toEqual(outs[0]);
  });

  it('refuses a second round smaller than k', () => {
    expect(() => countSketch({ secondRound: 0.5 })).toThrow(/secondRound.*must be 0 \(off\) or >= 1/);
  });
});
