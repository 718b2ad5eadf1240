import { compressContext, instantiateCompressor, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { threshold } from './threshold.js';

describe('threshold', () => {
  it('sends exactly the elements with |x| ≥ τ, unchanged', () => {
    const x = seededNormals(1000, 3);
    const c = instantiateCompressor(threshold({ threshold: 1.5 }));
    const out = new Float32Array(x.length);
    const payload = c.compress(x, compressContext());
    c.decompress(payload, out, compressContext());
    let kept = 0;
    for (let i = 0; i < x.length; i++) {
      if (Math.abs(x[i]!) >= 1.5) {
        expect(out[i]).toBe(x[i]);
        kept++;
      } else expect(out[i]).toBe(0);
    }
    expect(payload.byteLength).toBe(16 + 4 + 8 * kept);
  });

  it('estimates its ratio from expectedDensity, since the real one depends on the data', () => {
    expect(instantiateCompressor(threshold({ threshold: 1, expectedDensity: 0.1 })).estimateRatio(1000)).toBeCloseTo((16 + 4 + 800) / 4000, 10);
  });
});
