import { describe, expect, it } from 'vitest';
import { bfloat16FromFloatBits, halfFromFloatBits, halfToFloatTable } from './half-float.js';

function toHalf(value: number): number {
  const f = new Float32Array([value]);
  return halfFromFloatBits(new Uint32Array(f.buffer)[0]!, f[0]!);
}

describe('fp16 conversion', () => {
  const table = halfToFloatTable();

  it('round-trips every finite fp16 value exactly', () => {
    const wrong: number[] = [];
    for (let h = 0; h < 65536; h++) {
      if (((h >>> 10) & 0x1f) === 31) continue;
      if (toHalf(table[h]!) !== h) wrong.push(h); // -0 and +0 both keep their sign
    }
    expect(wrong).toEqual([]);
  });

  it('rounds to nearest, ties to even, in the normal and subnormal ranges', () => {
    const wrong: string[] = [];
    for (let h = 1; h < 0x7bff; h++) {
      const lo = table[h]!;
      const hi = table[h + 1]!;
      const mid = (lo + hi) / 2; // exact in float32 for fp16 neighbours
      if (toHalf(mid) !== (h % 2 === 0 ? h : h + 1)) wrong.push(`midpoint after ${h}`);
      if (toHalf(lo + (hi - lo) * 0.25) !== h) wrong.push(`quarter after ${h}`);
      if (toHalf(lo + (hi - lo) * 0.75) !== h + 1) wrong.push(`three quarters after ${h}`);
    }
    expect(wrong).toEqual([]);
  });

  it('saturates beyond ±65504 and flushes below 2^-25 to zero', () => {
    expect(table[toHalf(1e6)]).toBe(65504);
    expect(table[toHalf(-65520)]).toBe(-65504);
    expect(table[toHalf(65519)]).toBe(65504);
    expect(table[toHalf(2 ** -26)]).toBe(0);
    expect(table[toHalf(2 ** -24)]).toBe(2 ** -24);
  });
});

describe('bfloat16 conversion', () => {
  it('keeps the upper 16 bits, rounding to nearest even, and saturates at the largest finite value', () => {
    const bits = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0]!;
    const value = (h: number) => new Float32Array(new Uint32Array([h << 16]).buffer)[0]!;
    expect(value(bfloat16FromFloatBits(bits(1)))).toBe(1);
    expect(value(bfloat16FromFloatBits(bits(1 + 2 ** -8)))).toBe(1); // tie → even (1)
    expect(value(bfloat16FromFloatBits(bits(1 + 3 * 2 ** -8)))).toBe(1 + 2 ** -6); // tie → even
    expect(value(bfloat16FromFloatBits(bits(-1 - 2 ** -7 - 2 ** -9)))).toBe(-1 - 2 ** -7);
    expect(value(bfloat16FromFloatBits(bits(3.4e38)))).toBe(value(0x7f7f));
  });
});
