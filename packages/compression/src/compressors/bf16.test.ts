import { compressContext, instantiateCompressor, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { bf16 } from './bf16.js';

function roundTrip(spec: ReturnType<typeof bf16>, x: Float32Array): Float32Array {
  const c = instantiateCompressor(spec);
  const out = new Float32Array(x.length);
  c.decompress(c.compress(x, compressContext()), out, compressContext());
  return out;
}

describe('bf16', () => {
  it('has relative error at most 2^-8 (half an ulp of 8 significant bits) over float32’s whole range', () => {
    const x = seededNormals(10_000, 3).map((v, i) => v * 10 ** ((i % 60) - 30));
    const out = roundTrip(bf16(), x);
    let worst = 0;
    for (let i = 0; i < x.length; i++) if (x[i] !== 0) worst = Math.max(worst, Math.abs(out[i]! - x[i]!) / Math.abs(x[i]!));
    expect(worst).toBeLessThanOrEqual(2 ** -8);
  });

  it('keeps values near float32’s maximum finite', () => {
    const out = roundTrip(bf16(), new Float32Array([3.4e38, -3.4e38]));
    expect(Number.isFinite(out[0]!) && Number.isFinite(out[1]!)).toBe(true);
    expect(Math.abs(out[0]! - 3.4e38) / 3.4e38).toBeLessThan(2 ** -8);
  });
});
