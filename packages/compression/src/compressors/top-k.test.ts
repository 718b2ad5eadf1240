import { compressContext, instantiateCompressor, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { topK } from './top-k.js';

describe('topK', () => {
  it('keeps k = max(1, ⌈ratio·d⌉) elements and costs 8 bytes per kept element', () => {
    const c = instantiateCompressor(topK({ ratio: 0.01 }));
    expect(c.wireBytes(new Float32Array(1_000_000), compressContext())).toBe(16 + 4 + 8 * 10_000);
    expect(c.wireBytes(new Float32Array(50), compressContext())).toBe(16 + 4 + 8);
    expect(instantiateCompressor(topK({ ratio: 0.29 })).wireBytes(new Float32Array(100), compressContext())).toBe(16 + 4 + 8 * 29);
  });

  it('is lossless at ratio 1', () => {
    const x = seededNormals(333, 2);
    const c = instantiateCompressor(topK({ ratio: 1 }));
    const out = new Float32Array(x.length);
    c.decompress(c.compress(x, compressContext()), out, compressContext());
    expect(out).toEqual(x);
  });

  it('declares contraction δ = ratio and gather aggregation', () => {
    const c = instantiateCompressor(topK({ ratio: 0.05 }));
    expect(c.contraction).toBe(0.05);
    expect(c.aggregation).toBe('gather');
    expect(c.unbiased).toBe(false);
  });
});
