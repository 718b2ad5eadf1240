import { compressContext, instantiateCompressor, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { ERROR_FEEDBACK_CAPABILITY } from '../capabilities.js';
import { efSignSgd } from './ef-sign-sgd.js';
import { scaledSign } from './scaled-sign.js';

describe('scaledSign and efSignSgd', () => {
  it('decode to (‖x‖₁/d)·sign(x), with sign(0) = +1, in one bit per element', () => {
    const x = new Float32Array([3, -1, 0, 0.5, -2, 4, -0, 1.5, -7]);
    const scale = x.reduce((a, v) => a + Math.abs(v), 0) / x.length;
    for (const spec of [scaledSign(), efSignSgd()]) {
      const c = instantiateCompressor(spec);
      const out = new Float32Array(x.length);
      const payload = c.compress(x, compressContext());
      c.decompress(payload, out, compressContext());
      expect([...out].map((v) => v / Math.fround(scale))).toEqual([1, -1, 1, 1, -1, 1, 1, 1, -1]);
      expect(payload.byteLength).toBe(16 + 4 + 2);
    }
  });

  it('is a δ-compressor with δ = ‖x‖₁² / (d‖x‖₂²) (Karimireddy et al., Lemma 8)', () => {
    const x = seededNormals(1000, 6);
    const c = instantiateCompressor(scaledSign());
    const out = new Float32Array(x.length);
    c.decompress(c.compress(x, compressContext()), out, compressContext());
    let l1 = 0;
    let l2 = 0;
    let error = 0;
    for (let i = 0; i < x.length; i++) {
      l1 += Math.abs(x[i]!);
      l2 += x[i]! ** 2;
      error += (out[i]! - x[i]!) ** 2;
    }
    expect(error).toBeCloseTo(l2 - (l1 * l1) / x.length, 2);
  });

  it('efSignSgd requires an error-feedback plugin; scaledSign does not', () => {
    expect(efSignSgd().requires?.map((r) => r.capability)).toContain(ERROR_FEEDBACK_CAPABILITY);
    expect(scaledSign().requires?.map((r) => r.capability)).not.toContain(ERROR_FEEDBACK_CAPABILITY);
  });
});
