import { compressContext, instantiateCompressor, linkedReduceRanks, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { ternGrad } from './terngrad.js';

describe('ternGrad', () => {
  it('sends only {−s, 0, +s} with s = max|x|, signs kept, in 1.6 bits per element', () => {
    const x = seededNormals(1000, 1);
    const s = Math.max(...x.map(Math.abs));
    const c = instantiateCompressor(ternGrad());
    const out = new Float32Array(x.length);
    const payload = c.compress(x, compressContext());
    c.decompress(payload, out, compressContext());
    for (let i = 0; i < x.length; i++) {
      expect([0, s, -s]).toContain(out[i]);
      if (out[i] !== 0) expect(Math.sign(out[i]!)).toBe(Math.sign(x[i]!));
    }
    expect(payload.byteLength).toBe(16 + 4 + 200);
  });

  it('keeps each element with probability |x|/s', () => {
    const x = new Float32Array([1, 0.5, -0.25, 0.1, 0]);
    const kept = new Float64Array(x.length);
    const c = instantiateCompressor(ternGrad());
    const out = new Float32Array(x.length);
    const draws = 4000;
    for (let seed = 0; seed < draws; seed++) {
      const ctx = compressContext({ seed });
      c.decompress(c.compress(x, ctx), out, ctx);
      for (let i = 0; i < x.length; i++) if (out[i] !== 0) kept[i]++;
    }
    for (let i = 0; i < x.length; i++) {
      const p = Math.abs(x[i]!);
      expect(Math.abs(kept[i]! / draws - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / draws) + 1e-9);
    }
  });

  it('with scalar sharing, every rank ternarises against the largest scalar of all ranks', async () => {
    const links = linkedReduceRanks(4);
    const inputs = links.map((_, r) => seededNormals(200, 20 + r).map((v) => v * (r + 1)));
    const shared = Math.max(...inputs.map((x) => Math.max(...x.map(Math.abs))));
    const locals = await Promise.all(
      links.map(async (link, r) => {
        const local = new Float32Array(200);
        await instantiateCompressor(ternGrad({ scalarSharing: true })).reduce!(inputs[r]!, new Float32Array(200), local, compressContext({ rank: r, size: 4 }), link);
        return local;
      }),
    );
    for (const local of locals) for (const v of local) expect([0, shared, -shared]).toContain(v);
  });
});
