import { OptionError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { chooseAllreduce, estimateTime, type LinkModel } from './cost-model.js';

const link: LinkModel = { latencyMs: 0.1, bandwidthGbps: 8 }; // β = 1 ms per MB
const beta = 1 / (link.bandwidthGbps * 125_000); // ms per byte

describe('estimateTime', () => {
  it('reproduces Table III of the survey for powers of two', () => {
    const alpha = link.latencyMs;
    for (const n of [2, 4, 8, 64]) {
      const log = Math.log2(n);
      for (const m of [0, 1e3, 4e7]) {
        expect(estimateTime('ring', m, n, link)).toBeCloseTo(2 * (n - 1) * alpha + ((2 * (n - 1)) / n) * beta * m, 9);
        expect(estimateTime('recursive-doubling', m, n, link)).toBeCloseTo(alpha * log + beta * log * m, 9);
        expect(estimateTime('binary-tree', m, n, link)).toBeCloseTo(2 * alpha * log + 2 * beta * log * m, 9);
      }
    }
  });

  it('charges two extra exchanges to recursive doubling off powers of two, and nothing on one rank', () => {
    expect(estimateTime('recursive-doubling', 1e6, 6, link)).toBeCloseTo(4 * (link.latencyMs + beta * 1e6), 9);
    for (const op of ['ring', 'recursive-doubling', 'binary-tree', 'hierarchical', 'allgather', 'broadcast'] as const) {
      expect(estimateTime(op, 1e6, 1, link)).toBe(0);
    }
  });

  it('makes hierarchical with one rank per group the best flat algorithm, and adds the intra-group trees', () => {
    const flat = Math.min(...(['ring', 'recursive-doubling', 'binary-tree'] as const).map((a) => estimateTime(a, 1e6, 8, link)));
    expect(estimateTime('hierarchical', 1e6, 8, link, 1)).toBeCloseTo(flat, 12);
    const leaders = Math.min(...(['ring', 'recursive-doubling', 'binary-tree'] as const).map((a) => estimateTime(a, 1e6, 2, link)));
    expect(estimateTime('hierarchical', 1e6, 8, link, 4)).toBeCloseTo(2 * 2 * (link.latencyMs + beta * 1e6) + leaders, 12);
  });

  it('rejects unknown operations and bad sizes', () => {
    expect(() => estimateTime('butterfly' as never, 1, 2, link)).toThrow(OptionError);
    expect(() => estimateTime('ring', -1, 2, link)).toThrow(/option 'bytes' must be a finite number >= 0/);
    expect(() => estimateTime('ring', 1, 0, link)).toThrow(/option 'ranks' must be an integer >= 1/);
  });
});

describe('chooseAllreduce', () => {
  it('switches from recursive doubling to the ring where their costs cross (4 ranks: M* = 8α/β)', () => {
    // ring: 6α + 1.5βM, recursive doubling: 2α + 2βM → equal at M* = 8α/β.
    const crossover = (8 * link.latencyMs) / beta;
    expect(chooseAllreduce(crossover * 0.9, 4, link)).toBe('recursive-doubling');
    expect(chooseAllreduce(crossover * 1.1, 4, link)).toBe('ring');
    expect(chooseAllreduce(4e7, 64, link)).toBe('ring');
    expect(chooseAllreduce(64, 64, link)).toBe('recursive-doubling');
  });

  it('only considers the given candidates', () => {
    expect(chooseAllreduce(64, 64, link, ['ring', 'binary-tree'])).toBe('binary-tree');
  });
});
