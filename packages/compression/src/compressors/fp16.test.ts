import { compressContext, instantiateCompressor, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { fp16 } from './fp16.js';

function roundTrip(spec: ReturnType<typeof fp16>, x: Float32Array): Float32Array {
  const c = instantiateCompressor(spec);
  const out = new Float32Array(x.length);
  c.decompress(c.compress(x, compressContext()), out, compressContext());
  return out;
}

describe('fp16', () => {
  it('has relative error at most 2^-11 in the normal fp16 range and halves the bytes', () => {
    const x = seededNormals(10_000, 2).map((v) => v * 100);
    const out = roundTrip(fp16(), x);
    let worst = 0;
    for (let i = 0; i < x.length; i++) if (Math.abs(x[i]!) >= 2 ** -14) worst = Math.max(worst, Math.abs(out[i]! - x[i]!) / Math.abs(x[i]!));
    expect(worst).toBeLessThanOrEqual(2 ** -11);
    expect(instantiateCompressor(fp16()).estimateRatio(1e6)).toBeCloseTo(0.5, 4);
  });

  it('saturates values beyond 65504 instead of producing Inf', () => {
    expect([...roundTrip(fp16(), new Float32Array([1e9, -7e4, 65504]))]).toEqual([65504, -65504, 65504]);
  });
});
