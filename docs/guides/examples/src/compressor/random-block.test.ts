import { compressContext, compressorContract, measureCompressorBias, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { RandomBlock, randomBlock } from './random-block.js';

describe('randomBlock', () => {
  it('keeps ⌈ratio · d⌉ consecutive elements (cyclically), scaled by d/k, and zeroes the rest', () => {
    const compressor = new RandomBlock(0.25);
    const input = Float32Array.from({ length: 12 }, (_, i) => i + 1);
    const out = new Float32Array(12);
    const ctx = compressContext({ seed: 3, step: 1 });
    compressor.decompress(compressor.compress(input, ctx), out);
    const kept = [...out.keys()].filter((i) => out[i] !== 0);
    expect(kept).toHaveLength(3);
    const start = kept.find((i) => !kept.includes((i + 11) % 12))!;
    expect(kept.sort((a, b) => a - b)).toEqual([start, (start + 1) % 12, (start + 2) % 12].sort((a, b) => a - b));
    for (const i of kept) expect(out[i]).toBe(4 * input[i]!);
  });

  it('is unbiased: the mean of 4000 seeded draws is within 5 standard errors of the input', () => {
    const input = seededNormals(24, 5);
    const report = measureCompressorBias(new RandomBlock(0.125), input, 4000);
    expect(report.worstZ).toBeLessThan(5);
  });

  it('picks the same block on every rank for one step, and another block at another step', () => {
    const compressor = new RandomBlock(0.1);
    const input = seededNormals(100, 1);
    const offsetOf = (rank: number, step: number) => new DataView(compressor.compress(input, compressContext({ rank, size: 4, step })).buffer).getUint32(8, true);
    expect(new Set([0, 1, 2, 3].map((rank) => offsetOf(rank, 7))).size).toBe(1);
    expect(new Set([1, 2, 3, 4, 5].map((step) => offsetOf(0, step))).size).toBeGreaterThan(1);
  });

  it('checks its ratio', () => {
    expect(() => randomBlock({ ratio: 0 })).toThrow("randomBlock: option 'ratio' must be a finite number > 0 <= 1, got 0");
    expect(() => randomBlock({ ratio: 1.5 })).toThrow(/<= 1, got 1.5/);
  });

  describe('passes the compressor contract', () => {
    for (const c of compressorContract(randomBlock({ ratio: 0.1 }), { stochastic: true })) it(c.name, c.run);
  });
});
