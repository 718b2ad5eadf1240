import { compressContext, instantiateCompressor, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { qsgd } from './qsgd.js';

function decodeOnce(levels: number, bucketSize: number, x: Float32Array, seed: number): Float32Array {
  const c = instantiateCompressor(qsgd({ levels, bucketSize }));
  const ctx = compressContext({ seed });
  const out = new Float32Array(x.length);
  c.decompress(c.compress(x, ctx), out, ctx);
  return out;
}

describe('qsgd', () => {
  it('puts every element on one of the two levels of norm/s around it, with its sign', () => {
    for (const levels of [1, 4, 127, 1000]) {
      const x = seededNormals(512, levels);
      let norm = 0;
      for (const v of x) norm += v * v;
      const unit = Math.fround(Math.sqrt(norm)) / levels;
      const out = decodeOnce(levels, 512, x, 1);
      for (let i = 0; i < x.length; i++) {
        const level = Math.abs(out[i]!) / unit;
        expect(Math.abs(level - Math.round(level))).toBeLessThan(1e-3);
        expect(Math.abs(out[i]! - x[i]!)).toBeLessThan(unit * (1 + 1e-5));
        if (out[i] !== 0) expect(Math.sign(out[i]!)).toBe(Math.sign(x[i]!));
      }
    }
  });

  it('uses 1 + ⌈log2(s + 1)⌉ bits per element plus one float per bucket', () => {
    const c = (levels: number) => instantiateCompressor(qsgd({ levels, bucketSize: 512 }));
    const x = new Float32Array(4096);
    expect(c(127).wireBytes(x, compressContext())).toBe(16 + 4 * 8 + 4096);
    expect(c(15).wireBytes(x, compressContext())).toBe(16 + 4 * 8 + (4096 * 5) / 8);
    expect(c(1).wireBytes(x, compressContext())).toBe(16 + 4 * 8 + (4096 * 2) / 8);
  });

  it('has variance within the paper’s bound min(d/s², √d/s)·‖v‖² (Lemma 3.1)', () => {
    const d = 256;
    const x = seededNormals(d, 9);
    let norm = 0;
    for (const v of x) norm += v * v;
    for (const s of [2, 16]) {
      let total = 0;
      const draws = 200;
      for (let seed = 0; seed < draws; seed++) {
        const out = decodeOnce(s, d, x, seed);
        for (let i = 0; i < d; i++) total += (out[i]! - x[i]!) ** 2;
      }
      expect(total / draws).toBeLessThanOrEqual(Math.min(d / s ** 2, Math.sqrt(d) / s) * norm);
    }
  });

  it('decodes a zero bucket as zeros', () => {
    expect([...decodeOnce(127, 4, new Float32Array([0, 0, 0, 0, 1, 0, 0, 0]), 3)]).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
  });
});

