import { Capabilities, OptionError } from '@syncopate/core';
import { compressContext, instantiateCompressor, linkedReduceRanks, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { readPayloadHeader } from '../internal/payload.js';
import { identity } from './identity.js';
import { perBucket } from './per-bucket.js';
import { qsgd } from './qsgd.js';
import { topK } from './top-k.js';

describe('perBucket', () => {
  const spec = perBucket({
    rules: [
      { maxLength: 100, use: identity() },
      { keyPattern: '^delta/', use: qsgd() },
    ],
    otherwise: topK({ ratio: 0.01 }),
  });

  it('picks the compressor by length first, then by key, then the fallback', () => {
    const c = instantiateCompressor(spec);
    const compressorOf = (n: number, key: string) => readPayloadHeader(c.compress(seededNormals(n, 1), compressContext({ key }))).compressor;
    expect(compressorOf(50, 'delta/bucket-0')).toBe('identity');
    expect(compressorOf(5000, 'delta/bucket-0')).toBe('qsgd');
    expect(compressorOf(5000, 'gradient/bucket-0')).toBe('topK');
  });

  it('mixes aggregations as sum, and on 4 ranks reduces each bucket the way its compressor needs', async () => {
    const c = instantiateCompressor(spec);
    expect(c.aggregation).toBe('sum');
    for (const n of [60, 3000]) {
      const links = linkedReduceRanks(4);
      const inputs = links.map((_, r) => seededNormals(n, 30 + r));
      const results = await Promise.all(
        links.map(async (link, r) => {
          const out = new Float32Array(n);
          const local = new Float32Array(n);
          await instantiateCompressor(spec).reduce!(inputs[r]!, out, local, compressContext({ rank: r, size: 4 }), link);
          return { out, local };
        }),
      );
      const sumOfLocals = new Float32Array(n);
      for (const { local } of results) for (let i = 0; i < n; i++) sumOfLocals[i] += local[i]!;
      for (const { out } of results) for (let i = 0; i < n; i++) expect(out[i]).toBeCloseTo(sumOfLocals[i]!, 5);
      if (n === 60) expect(results[0]!.local).toEqual(inputs[0]); // identity: nothing lost
    }
  });

  it('requires what its compressors require, and keeps a single shared aggregation', () => {
    expect(spec.requires?.map((r) => r.capability).sort()).toEqual([Capabilities.allgather, Capabilities.allreduce].sort());
    expect(instantiateCompressor(perBucket({ rules: [{ maxLength: 10, use: qsgd() }], otherwise: topK() })).aggregation).toBe('gather');
  });

  it('refuses rules that cannot work, naming the option', () => {
    expect(() => perBucket({ otherwise: undefined })).toThrow(OptionError);
    expect(() => perBucket({ rules: [{ use: identity() }], otherwise: topK() })).toThrow(/rules\[0\]' needs maxLength, minLength or keyPattern/);
    expect(() => perBucket({ rules: [{ keyPattern: '(', use: identity() }], otherwise: topK() })).toThrow(/rules\[0\]\.keyPattern' is not a valid regular expression/);
    expect(() => perBucket({ rules: [{ maxLength: 4, use: { kind: 'momentum' } as never }], otherwise: topK() })).toThrow(/rules\[0\]\.use' must be a compressor spec/);
  });
});
