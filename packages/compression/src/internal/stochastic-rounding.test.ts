import { describe, expect, it } from 'vitest';
import { naturalExponents, stochasticFloor, ternaryDigits, uniformAt } from './stochastic-rounding.js';

describe('counter-based uniforms', () => {
  it('are uniform and serially uncorrelated over consecutive indices', () => {
    const n = 200_000;
    const bins = new Float64Array(32);
    let lag = 0;
    let previous = uniformAt(0, 0x1234abcd);
    let outside = 0;
    for (let i = 1; i < n; i++) {
      const u = uniformAt(i, 0x1234abcd);
      if (!(u >= 0 && u < 1)) outside++;
      bins[Math.floor(u * 32)]++;
      lag += (u - 0.5) * (previous - 0.5);
      previous = u;
    }
    expect(outside).toBe(0);
    // χ² with 31 degrees of freedom: p = 0.001 at 61.1. Lag-1 correlation: sd ≈ 1/√n.
    expect(bins.reduce((a, b) => a + (b - n / 32) ** 2 / (n / 32), 0)).toBeLessThan(61.1);
    expect(Math.abs((12 * lag) / n)).toBeLessThan(5 / Math.sqrt(n));
  });

  it('differ between keys', () => {
    let same = 0;
    for (let i = 0; i < 1000; i++) if (uniformAt(i, 1) === uniformAt(i, 2)) same++;
    expect(same).toBeLessThan(3);
  });
});

describe('stochastic rounding kernels', () => {
  it('stochasticFloor rounds to a neighbouring integer with the mean equal to the value', () => {
    const values = new Float32Array([-2.75, -0.5, 0, 0.1, 3.5, 126.9]);
    const out = new Int8Array(values.length);
    const sums = new Float64Array(values.length);
    const draws = 4000;
    for (let key = 0; key < draws; key++) {
      stochasticFloor(values, 0, values.length, 0, 1, 128, 0, key * 7919, out);
      for (let i = 0; i < values.length; i++) {
        if (out[i] !== Math.floor(values[i]!) && out[i] !== Math.ceil(values[i]!)) throw new Error(`${values[i]} rounded to ${out[i]}`);
        sums[i] += out[i]!;
      }
    }
    for (let i = 0; i < values.length; i++) {
      const f = values[i]! - Math.floor(values[i]!);
      expect(Math.abs(sums[i]! / draws - values[i]!)).toBeLessThanOrEqual(5 * Math.sqrt((f * (1 - f)) / draws) + 1e-9);
    }
  });

  it('ternaryDigits packs five digits per byte, zero, +1 as 1 and −1 as 2', () => {
    const out = new Uint8Array(2);
    ternaryDigits(new Float32Array([1, -1, 0, 1, -1, -1]), 1, 42, out); // |x|·inverse = 1: always kept
    expect([...out]).toEqual([1 + 3 * 2 + 0 + 27 * 1 + 81 * 2, 2]);
  });

  it('naturalExponents never rounds 2^127·(1+f) up to the non-float 2^128 and flags NaN/Inf', () => {
    const out = new Uint8Array(2);
    for (let key = 0; key < 50; key++) {
      expect(naturalExponents(new Float32Array([3e38, 1.5]), key, out)).toBe(false);
      expect(out[0]).toBe(254);
      expect([127, 128]).toContain(out[1]);
    }
    expect(naturalExponents(new Float32Array([1, Number.NaN]), 1, out)).toBe(true);
  });
});
