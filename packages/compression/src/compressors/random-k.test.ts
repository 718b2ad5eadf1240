import { compressContext, instantiateCompressor, linkedReduceRanks, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { randomK } from './random-k.js';

function decode(spec: ReturnType<typeof randomK>, x: Float32Array, ctx = compressContext()): Float32Array {
  const c = instantiateCompressor(spec);
  const out = new Float32Array(x.length);
  c.decompress(c.compress(x, ctx), out, ctx);
  return out;
}

describe('randomK', () => {
  it('keeps exactly k = ⌈ratio·d⌉ elements, unchanged (or scaled by d/k)', () => {
    const x = seededNormals(1000, 1).map((v) => v || 1);
    for (const rescale of [false, true]) {
      const out = decode(randomK({ ratio: 0.03, rescale }), x);
      const kept = [...out.keys()].filter((i) => out[i] !== 0);
      expect(kept.length).toBe(30);
      for (const i of kept) expect(out[i]).toBeCloseTo(x[i]! * (rescale ? 1000 / 30 : 1), 4);
    }
  });

  it('draws every index with probability k/d (uniform mask)', () => {
    const d = 50;
    const x = new Float32Array(d).fill(1);
    const hits = new Float64Array(d);
    const draws = 2000;
    for (let seed = 0; seed < draws; seed++) {
      const out = decode(randomK({ ratio: 0.1 }), x, compressContext({ seed }));
      for (let i = 0; i < d; i++) if (out[i] !== 0) hits[i]++;
    }
    // Chi-square goodness of fit with d − 1 = 49 degrees of freedom: p = 0.001 at 85.4.
    const expected = (draws * 5) / d;
    const chiSquare = hits.reduce((a, h) => a + (h - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(85.4);
  });

  it('with a shared mask, every rank keeps the same indices and reduce allreduces only the values', async () => {
    const links = linkedReduceRanks(4);
    const inputs = links.map((_, r) => seededNormals(400, 60 + r));
    const results = await Promise.all(
      links.map(async (link, r) => {
        const out = new Float32Array(400);
        const local = new Float32Array(400);
        await instantiateCompressor(randomK({ ratio: 0.05, sharedMask: true })).reduce!(inputs[r]!, out, local, compressContext({ rank: r, size: 4 }), link);
        return { out, support: [...local.keys()].filter((i) => local[i] !== 0) };
      }),
    );
    for (const { support } of results) expect(support).toEqual(results[0]!.support);
    const support = results[0]!.support;
    expect(support.length).toBe(20);
    for (const i of support) expect(results[0]!.out[i]).toBeCloseTo(inputs.reduce((a, x) => a + x[i]!, 0), 5);
    expect(instantiateCompressor(randomK({ ratio: 0.05, sharedMask: true })).wireBytes(inputs[0]!, compressContext())).toBe(16 + 4 * 20);
  });
});
