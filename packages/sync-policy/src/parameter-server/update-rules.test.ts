import { describe, expect, it } from 'vitest';
import { FirstArrivalsRule } from './first-arrivals-rule.js';
import { StalenessRule } from './staleness-rule.js';
import type { ShardState } from './update-rule.js';

function state(workers: number[], values: number[]): ShardState & { active: Set<number> } {
  return { parameters: Float32Array.from(values), version: 0, clocks: new Map(workers.map((w) => [w, 0])), active: new Set(workers) };
}

describe('FirstArrivalsRule (backup workers)', () => {
  it('applies the mean of the first n changes computed from the current version and drops late ones', () => {
    const s = state([1, 2, 3, 4], [10, 10]);
    const rule = new FirstArrivalsRule(3, 2);
    expect(rule.push(s, 1, Float32Array.of(3, 0), 0)).toBeUndefined(); // waits for the round
    expect(rule.mayAnswer(s, 1)).toBe(false);
    rule.push(s, 3, Float32Array.of(0, 6), 0);
    expect(s.version).toBe(0);
    expect(rule.push(s, 2, Float32Array.of(6, 3), 0)).toBe(0); // the third: the round is complete
    expect([...s.parameters]).toEqual([13, 13]); // 10 + (3 + 0 + 6) / 3, 10 + (0 + 6 + 3) / 3
    expect(s.version).toBe(1);
    expect([1, 2, 3].every((w) => rule.mayAnswer(s, w) && rule.appliedStaleness(w) === 0)).toBe(true);
    expect(rule.push(s, 4, Float32Array.of(100, 100), 0)).toBe(-1); // computed from version 0: too late
    expect(rule.mayAnswer(s, 4)).toBe(true);
    expect([...s.parameters]).toEqual([13, 13]);
  });

  it('shrinks the quorum to the workers still training, so the end never waits for pushes that will not come', () => {
    const s = state([1, 2, 3], [0]);
    const rule = new FirstArrivalsRule(3, 1);
    rule.push(s, 1, Float32Array.of(4), 0);
    s.active.delete(2);
    s.active.delete(3);
    rule.activeChanged(s);
    expect([...s.parameters]).toEqual([4]);
    expect(rule.mayAnswer(s, 1)).toBe(true);
  });

  it('snapshots the round in progress', () => {
    const s = state([1, 2], [0]);
    const rule = new FirstArrivalsRule(2, 1);
    rule.push(s, 2, Float32Array.of(5), 0);
    const copy = new FirstArrivalsRule(2, 1);
    copy.restore(rule.snapshot());
    copy.push(s, 1, Float32Array.of(1), 0);
    expect([...s.parameters]).toEqual([3]);
    expect(() => copy.restore({})).toThrow(/snapshot fields 'sum'/);
  });
});

describe('StalenessRule (SSP, ASP)', () => {
  it('applies every change at once and answers a worker only while it is at most s pushes ahead of the slowest', () => {
    const s = state([1, 2], [0]);
    const rule = new StalenessRule(1, 0.5);
    for (const clock of [1, 2]) {
      s.clocks.set(1, clock);
      expect(rule.push(s, 1, Float32Array.of(2), clock - 1)).toBe(0);
    }
    expect([...s.parameters]).toEqual([2]); // 0.5 · (2 + 2)
    expect(rule.mayAnswer(s, 1)).toBe(false); // clock 2, slowest 0, s = 1
    s.clocks.set(2, 1);
    expect(rule.push(s, 2, Float32Array.of(-2), 0)).toBe(2); // two updates landed since its pull
    expect(rule.mayAnswer(s, 1)).toBe(true);
    expect(new StalenessRule(Infinity, 1).mayAnswer(s, 1)).toBe(true);
  });
});
