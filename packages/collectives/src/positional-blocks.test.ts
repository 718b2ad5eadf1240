import { OptionError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { PositionalBlocks } from './positional-blocks.js';

describe('PositionalBlocks', () => {
  it('puts element g of the whole vector in block ⌊g / grain⌋ mod parts, whatever the slice it comes in', () => {
    const whole = Float32Array.from({ length: 40 }, (_, g) => g + 1); // value g + 1: 0 is padding
    for (const [offset, length] of [[0, 40], [5, 13], [17, 3], [23, 17]] as const) {
      const layout = new PositionalBlocks(offset, length, 3, 4);
      const packed = layout.pack(whole.subarray(offset, offset + length), 3);
      expect(packed.length).toBe(3 * layout.blockLength);
      const seen: number[] = [];
      packed.forEach((value, at) => {
        if (value === 0) return;
        const g = value - 1;
        seen.push(g);
        expect(Math.floor(at / layout.blockLength), `element ${g} in slice ${offset}+${length}`).toBe(Math.floor(g / 4) % 3);
      });
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length }, (_, i) => offset + i));
    }
  });

  it('packs into equal zero-padded blocks and unpacks to the same values', () => {
    const buffer = Float32Array.from({ length: 11 }, (_, i) => i + 1);
    const layout = new PositionalBlocks(6, 11, 2, 4); // global 6…16: chunks 1 (6,7), 2 (8…11), 3 (12…15), 4 (16)
    expect(layout.blockLength).toBe(6); // block 0: chunks 2 and 4 (5 elements); block 1: chunks 1 and 3 (6)
    const packed = layout.pack(buffer, 2);
    expect([...packed]).toEqual([3, 4, 5, 6, 11, 0, 1, 2, 7, 8, 9, 10]);
    const back = new Float32Array(11);
    layout.unpack(packed, back);
    expect(back).toEqual(buffer);
  });

  it('rejects an offset that is not a non-negative integer, naming the option', () => {
    expect(() => new PositionalBlocks(-1, 4, 2)).toThrow(OptionError);
    expect(() => new PositionalBlocks(1.5, 4, 2)).toThrow(/elementOffset.*non-negative integer, got 1.5/);
  });
});
