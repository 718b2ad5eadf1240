import { compressContext, instantiateCompressor, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { naturalCompression } from './natural-compression.js';

function decode(x: Float32Array, seed: number): Float32Array {
  const c = instantiateCompressor(naturalCompression());
  const ctx = compressContext({ seed });
  const out = new Float32Array(x.length);
  c.decompress(c.compress(x, ctx), out, ctx);
  return out;
}

describe('naturalCompression', () => {
  it('rounds every element to one of the two powers of two around it, sign kept', () => {
    const x = seededNormals(2000, 4).map((v, i) => v * 10 ** ((i % 20) - 10));
    const out = decode(x, 1);
    for (let i = 0; i < x.length; i++) {
      const low = 2 ** Math.floor(Math.log2(Math.abs(x[i]!)));
      expect([low, 2 * low]).toContain(Math.abs(out[i]!));
      expect(Math.sign(out[i]!)).toBe(Math.sign(x[i]!));
    }
  });

  it('leaves exact powers of two and zeros unchanged', () => {
    const x = new Float32Array([1, -0.5, 1024, 2 ** -100, 0, -(2 ** 100)]);
    expect([...decode(x, 2)]).toEqual([...x]);
  });

  it('rounds up with probability (|t| − 2^⌊log2|t|⌋) / 2^⌊log2|t|⌋ (the unbiased p, not the survey’s Eq. 17)', () => {
    const x = new Float32Array([1.25, -3, 1.9, 2 ** -130]); // up-probabilities 0.25, 0.5, 0.9, and a subnormal: 2^-4
    const expected = [0.25, 0.5, 0.9, 2 ** -4];
    const up = new Float64Array(x.length);
    const draws = 4000;
    for (let seed = 0; seed < draws; seed++) {
      const out = decode(x, seed);
      for (let i = 0; i < x.length; i++) {
        const low = i === 3 ? 0 : 2 ** Math.floor(Math.log2(Math.abs(x[i]!)));
        if (Math.abs(out[i]!) > low) up[i]++;
      }
    }
    for (let i = 0; i < x.length; i++) {
      const p = expected[i]!;
      expect(Math.abs(up[i]! / draws - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / draws));
    }
  });

  it('costs 9 bits per element', () => {
    expect(instantiateCompressor(naturalCompression()).estimateRatio(8e6)).toBeCloseTo(9 / 32, 5);
  });
});
