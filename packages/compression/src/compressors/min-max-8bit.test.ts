import { compressContext, instantiateCompressor, measureCompressorBias, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { minMax8Bit } from './min-max-8bit.js';

describe('minMax8Bit', () => {
  it('with nearest rounding, errs by at most half a level, (max − min) / 510, per block', () => {
    const blockSize = 64;
    const x = seededNormals(1000, 5);
    const c = instantiateCompressor(minMax8Bit({ blockSize }));
    const out = new Float32Array(x.length);
    c.decompress(c.compress(x, compressContext()), out, compressContext());
    for (let start = 0; start < x.length; start += blockSize) {
      const block = x.subarray(start, start + blockSize);
      const range = Math.max(...block) - Math.min(...block);
      for (let i = start; i < Math.min(x.length, start + blockSize); i++) {
        expect(Math.abs(out[i]! - x[i]!)).toBeLessThanOrEqual(range / 510 + 1e-6 * range);
      }
    }
  });

  it('decodes a constant block exactly and keeps each block’s minimum and maximum', () => {
    const x = new Float32Array([3, 3, 3, 3, -1, 2, 0.5, 7]);
    const c = instantiateCompressor(minMax8Bit({ blockSize: 4 }));
    const out = new Float32Array(8);
    c.decompress(c.compress(x, compressContext()), out, compressContext());
    expect([...out.subarray(0, 4)]).toEqual([3, 3, 3, 3]);
    expect(out[4]).toBe(-1);
    expect(out[7]).toBeCloseTo(7, 5);
  });

  it('is biased with nearest rounding and unbiased with stochastic rounding (the bias check can fail)', () => {
    const x = seededNormals(32, 8);
    const nearest = measureCompressorBias(instantiateCompressor(minMax8Bit()), x, 400);
    const stochastic = measureCompressorBias(instantiateCompressor(minMax8Bit({ rounding: 'stochastic' })), x, 400);
    expect(nearest.worstZ).toBeGreaterThan(20);
    expect(stochastic.worstZ).toBeLessThan(5);
  });
});
