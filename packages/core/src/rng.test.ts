import { describe, expect, it } from 'vitest';
import { SHARED_RANK, createRng, philox4x32 } from './rng.js';

describe('philox4x32', () => {
  it('matches the Random123 known-answer vectors', () => {
    // Known-answer tests published with Random123 (kat_vectors, philox4x32_10).
    expect([...philox4x32([0, 0, 0, 0], [0, 0])].map((x) => x.toString(16).padStart(8, '0'))).toEqual([
      '6627e8d5',
      'e169c58d',
      'bc57ac4c',
      '9b00dbd8',
    ]);
    expect(
      [...philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])].map((x) =>
        x.toString(16).padStart(8, '0'),
      ),
    ).toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    expect(
      [...philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])].map((x) =>
        x.toString(16).padStart(8, '0'),
      ),
    ).toEqual(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });
});

describe('createRng', () => {
  const key = { seed: 7, rank: 1, step: 3, stream: 'test' };

  it('is a pure function of its key and position', () => {
    const a = createRng(key);
    const b = createRng(key);
    const xs = Array.from({ length: 37 }, () => a.nextUint32());
    const ys = Array.from({ length: 37 }, () => b.nextUint32());
    expect(xs).toEqual(ys);
    const c = createRng(key);
    c.seek(20);
    expect(c.nextUint32()).toBe(xs[20]);
    expect(c.position).toBe(21);
  });

  it('gives different streams for different seed, rank, step or stream', () => {
    const first = (k: typeof key) => createRng(k).nextUint32();
    const base = first(key);
    expect(first({ ...key, seed: 8 })).not.toBe(base);
    expect(first({ ...key, rank: 2 })).not.toBe(base);
    expect(first({ ...key, step: 4 })).not.toBe(base);
    expect(first({ ...key, stream: 'other' })).not.toBe(base);
    expect(first({ ...key, seed: 7 + 2 ** 40 })).not.toBe(base);
  });

  it('lets every rank draw the same shared numbers', () => {
    const draws = [0, 1, 2].map(() => createRng({ ...key, rank: SHARED_RANK }).nextFloat());
    expect(new Set(draws).size).toBe(1);
  });

  it('draws uniform floats and unbiased integers', () => {
    const rng = createRng(key);
    const n = 200_000;
    let sum = 0;
    const counts = new Array(7).fill(0);
    for (let i = 0; i < n; i++) {
      const u = rng.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      counts[rng.nextInt(7)]++;
    }
    // Mean of U(0,1) has standard deviation 1/sqrt(12n) ≈ 6.5e-4; allow 5 sigma.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 / Math.sqrt(12 * n));
    // Each count ~ Binomial(n, 1/7): sd ≈ 156; allow 5 sigma.
    const sd = Math.sqrt((n * (1 / 7) * 6) / 7);
    for (const c of counts) expect(Math.abs(c - n / 7)).toBeLessThan(5 * sd);
  });

  it('draws standard normals', () => {
    const rng = createRng(key);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.nextNormal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('rejects keys it cannot represent', () => {
    expect(() => createRng({ ...key, seed: -1 })).toThrow(/seed/);
    expect(() => createRng({ ...key, seed: 1.5 })).toThrow(/seed/);
    expect(() => createRng({ ...key, step: 2 ** 32 })).toThrow(/step/);
    expect(() => createRng(key).nextInt(0)).toThrow(/nextInt/);
  });
});
