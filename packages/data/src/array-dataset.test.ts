import { OptionError, type Batch, type Dataset, type ShardOptions } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { arrayDataset } from './array-dataset.js';

/** A data set whose example i has input [i, −i] and label i mod 3, so batches reveal which rows they hold. */
function indexed(count: number): Dataset {
  const inputs = new Float32Array(count * 2);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    inputs[2 * i] = i;
    inputs[2 * i + 1] = -i;
    labels[i] = i % 3;
  }
  const testCount = Math.min(7, count);
  const test = { count: testCount, inputs: inputs.slice(0, 2 * testCount), labels: labels.slice(0, testCount) };
  return arrayDataset({ name: 'indexed', inputShape: [2], numClasses: 3, train: { count, inputs, labels }, test });
}

function rows(batch: Batch): number[] {
  const out: number[] = [];
  for (let r = 0; r < batch.size; r++) {
    const i = batch.inputs[2 * r]!;
    expect(batch.inputs[2 * r + 1]).toBe(-i);
    expect(batch.labels![r]).toBe(i % 3);
    out.push(i);
  }
  return out;
}

function epochRows(data: Dataset, epoch: number, options: Omit<ShardOptions, 'rank'>): number[][] {
  return Array.from({ length: options.size }, (_, rank) => [...data.trainBatches(epoch, { ...options, rank })].flatMap(rows));
}

describe('arrayDataset sharding', () => {
  it('deals every example exactly once per epoch across the ranks (the union is a permutation)', () => {
    const data = indexed(96);
    for (const shuffle of ['fixed', 'global'] as const) {
      for (const size of [1, 2, 3, 4, 8]) {
        for (const epoch of [0, 5]) {
          const perRank = epochRows(data, epoch, { size, batchSize: 5, seed: 11, shuffle, dropLast: false });
          expect(new Set(perRank.map((r) => r.length)).size).toBe(1);
          expect(perRank.flat().sort((a, b) => a - b)).toEqual([...Array(96).keys()]);
        }
      }
    }
  });

  it('gives every rank the same number of full batches, dropping at most size−1 examples plus partial batches', () => {
    const data = indexed(103);
    for (const shuffle of ['fixed', 'global'] as const) {
      const options = { size: 4, batchSize: 8, seed: 2, shuffle };
      expect(data.batchesPerEpoch({ ...options, rank: 0 })).toBe(3); // floor(103/4) = 25 → 3 batches of 8
      expect(data.batchesPerEpoch({ ...options, rank: 0, dropLast: false })).toBe(4); // 3 × 8 + 1
      for (let rank = 0; rank < 4; rank++) {
        const sizes = [...data.trainBatches(1, { ...options, rank })].map((b) => b.size);
        expect(sizes).toEqual([8, 8, 8]);
        expect([...data.trainBatches(1, { ...options, rank, dropLast: false })].map((b) => b.size)).toEqual([8, 8, 8, 1]);
      }
      const seen = epochRows(data, 1, { ...options, dropLast: false }).flat();
      expect(new Set(seen).size).toBe(100); // 4 × 25 distinct; 3 left over this epoch
    }
  });

  it('fixed: each rank keeps the same disjoint shard every epoch, in a new order', () => {
    const data = indexed(64);
    const options = { size: 4, batchSize: 4, seed: 3, shuffle: 'fixed' as const };
    const e0 = epochRows(data, 0, options);
    const e1 = epochRows(data, 1, options);
    for (let rank = 0; rank < 4; rank++) {
      expect([...e1[rank]!].sort((a, b) => a - b)).toEqual([...e0[rank]!].sort((a, b) => a - b));
      expect(e1[rank]).not.toEqual(e0[rank]);
    }
    expect(new Set(e0.flat()).size).toBe(64);
  });

  it('global: each rank draws a new sample of the whole set every epoch', () => {
    const data = indexed(64);
    const options = { size: 4, batchSize: 4, seed: 3, shuffle: 'global' as const };
    const e0 = epochRows(data, 0, options);
    const e1 = epochRows(data, 1, options);
    for (let rank = 0; rank < 4; rank++) {
      const overlap = e1[rank]!.filter((i) => e0[rank]!.includes(i)).length;
      expect(overlap).toBeLessThan(16); // a fresh quarter of the set: expected overlap 4 of 16
    }
  });

  it('is a pure function of (seed, rank, size, epoch): repeatable, and different for another seed', () => {
    const data = indexed(50);
    for (const shuffle of ['fixed', 'global'] as const) {
      const options = { rank: 1, size: 2, batchSize: 5, seed: 21, shuffle };
      const a = [...data.trainBatches(4, options)].flatMap(rows);
      const b = [...indexed(50).trainBatches(4, options)].flatMap(rows);
      const c = [...data.trainBatches(4, { ...options, seed: 22 })].flatMap(rows);
      expect(a).toEqual(b);
      expect(a).not.toEqual(c);
    }
  });

  it('shuffles uniformly: each example lands in each position with probability 1/n (chi-square over seeds)', () => {
    // 6 examples, 1 rank, global shuffle; 3000 seeded epochs. Position counts per example are
    // multinomial with p = 1/6; chi-square with 25 degrees of freedom has a 99.9th percentile of 52.6.
    const n = 6;
    const trials = 3000;
    const data = indexed(n);
    const counts = Array.from({ length: n }, () => new Array(n).fill(0));
    for (let epoch = 0; epoch < trials; epoch++) {
      const order = [...data.trainBatches(epoch, { rank: 0, size: 1, batchSize: n, seed: 8, shuffle: 'global' })].flatMap(rows);
      order.forEach((example, position) => counts[example]![position]++);
    }
    const expected = trials / n;
    let chiSquare = 0;
    for (const row of counts) for (const c of row) chiSquare += (c - expected) ** 2 / expected;
    expect(chiSquare).toBeLessThan(52.6);
  });

  it('hands out copies: mutating a batch does not change the data set', () => {
    const data = indexed(8);
    const options = { rank: 0, size: 1, batchSize: 8, seed: 1, shuffle: 'fixed' as const };
    const [first] = [...data.trainBatches(0, options)];
    first!.inputs.fill(1e9);
    first!.labels!.fill(7);
    const [again] = [...data.trainBatches(0, options)];
    expect(rows(again!).sort((a, b) => a - b)).toEqual([...Array(8).keys()]);
  });

  it('returns the test set in order, the last batch partial', () => {
    const batches = [...indexed(20).testBatches(3)];
    expect(batches.map((b) => b.size)).toEqual([3, 3, 1]);
    expect(batches.flatMap(rows)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('rejects bad shard options, epochs and tables with an OptionError that names the option', () => {
    const data = indexed(16);
    const ok = { rank: 0, size: 2, batchSize: 4, seed: 1, shuffle: 'global' as const };
    expect(() => data.trainBatches(0, { ...ok, rank: 2 })).toThrow(/option 'rank' must be an integer >= 0 <= 1, got 2/);
    expect(() => data.trainBatches(0, { ...ok, batchSize: 0 })).toThrow(/option 'batchSize'/);
    expect(() => data.trainBatches(0, { ...ok, shuffle: 'none' as never })).toThrow(/'fixed', 'global'/);
    expect(() => data.trainBatches(-1, ok)).toThrow(/option 'epoch'/);
    expect(() => data.trainBatches(0, { ...ok, seed: 1.5 })).toThrow(/option 'seed'/);
    expect(() => data.trainBatches(0, { ...ok, batchSise: 4 } as never)).toThrow(/did you mean 'batchSize'/);
    expect(() => data.batchesPerEpoch({ ...ok, batchSize: 9 })).toThrow(/9 with 2 rank\(s\) and dropLast needs at least 18 training examples, the set has 16/);
    expect(() => data.testBatches(0)).toThrow(OptionError);
    const inputs = new Float32Array(6);
    expect(() => arrayDataset({ name: 'x', inputShape: [2], train: { count: 4, inputs, labels: new Int32Array(4) } })).toThrow(/train.inputs' has 6 values; 4 examples of 2 need 8/);
    expect(() => arrayDataset({ name: 'x', inputShape: [2], numClasses: 2, train: { count: 3, inputs, labels: Int32Array.of(0, 2, 1) } })).toThrow(/holds 2 at index 1, outside \[0, 2\)/);
    expect(() => arrayDataset({ name: 'x', inputShape: [0], train: { count: 0, inputs, labels: new Int32Array(0) } })).toThrow(/inputShape/);
    expect(() => arrayDataset({ name: 'x', inputShape: [2], train: { count: 3, inputs } })).toThrow(/needs labels or targets/);
  });

  it('carries regression targets row by row', () => {
    const inputs = Float32Array.from({ length: 10 }, (_, i) => Math.floor(i / 2));
    const targets = Float32Array.from({ length: 5 }, (_, i) => 10 * i);
    const data = arrayDataset({ name: 'r', inputShape: [2], train: { count: 5, inputs, targets } });
    for (const batch of data.trainBatches(0, { rank: 0, size: 1, batchSize: 2, seed: 4, shuffle: 'global' })) {
      for (let r = 0; r < batch.size; r++) expect(batch.targets![r]).toBe(10 * batch.inputs[2 * r]!);
    }
  });
});
