import { compressContext, instantiateCompressor, linkedReduceRanks, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { identity } from './identity.js';

describe('identity', () => {
  it('reduces to the exact sum over ranks with one allreduce, and keeps its own input as local', async () => {
    const links = linkedReduceRanks(4);
    const inputs = links.map((_, r) => seededNormals(100, r));
    const expected = new Float32Array(100);
    for (const x of inputs) for (let i = 0; i < 100; i++) expected[i] += x[i]!;
    const results = await Promise.all(
      links.map(async (link, r) => {
        const out = new Float32Array(100);
        const local = new Float32Array(100);
        await instantiateCompressor(identity()).reduce!(inputs[r]!, out, local, compressContext({ rank: r, size: 4 }), link);
        expect(local).toEqual(inputs[r]);
        return out;
      }),
    );
    for (const out of results) expect(out).toEqual(expected);
  });

  it('sends the raw float32 values behind a 16-byte header', () => {
    const x = seededNormals(10, 1);
    const c = instantiateCompressor(identity());
    const payload = c.compress(x, compressContext());
    expect(payload.byteLength).toBe(16 + 40);
    expect(new Float32Array(payload.slice(16).buffer)).toEqual(x);
    expect(c.estimateRatio(1e6)).toBeCloseTo(1, 5);
  });
});
