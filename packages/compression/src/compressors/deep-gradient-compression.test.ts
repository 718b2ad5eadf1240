import { compressContext, instantiateCompressor } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { DeepGradientCompressor, deepGradientCompression } from './deep-gradient-compression.js';

describe('deepGradientCompression', () => {
  it('warms sparsity up exponentially: 25 % → 6.25 % → 1.56 % → 0.4 % → 0.1 % over the warm-up stages', () => {
    const c = instantiateCompressor(deepGradientCompression({ ratio: 0.001, warmupSteps: 400 })) as DeepGradientCompressor;
    const densities = [0, 100, 200, 300, 400, 10_000].map((step) => c.density(step));
    const expected = [0.25, 0.25 * 0.004 ** 0.25, 0.25 * 0.004 ** 0.5, 0.25 * 0.004 ** 0.75, 0.001, 0.001];
    densities.forEach((d, i) => expect(d).toBeCloseTo(expected[i]!, 12));
    expect(c.density(99)).toBe(0.25);
  });

  it('sends the density of the current step', () => {
    const c = instantiateCompressor(deepGradientCompression({ ratio: 0.01, warmupSteps: 10, initialRatio: 0.5, warmupStages: 1 }));
    const x = new Float32Array(1000).fill(1);
    expect(c.wireBytes(x, compressContext({ step: 0 }))).toBe(16 + 4 + 8 * 500);
    expect(c.wireBytes(x, compressContext({ step: 10 }))).toBe(16 + 4 + 8 * 10);
    expect(c.compress(x, compressContext({ step: 3 })).byteLength).toBe(16 + 4 + 8 * 500);
  });

  it('refuses a warm-up that starts sparser than it ends', () => {
    expect(() => deepGradientCompression({ ratio: 0.1, initialRatio: 0.01 })).toThrow(/initialRatio.*must be >= ratio/);
  });
});
