import { ParamLayout } from '@syncopate/core';
import { schedulerContract } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { BalancedBuckets, balancedBuckets } from './balanced-buckets.js';

describe('balancedBuckets', () => {
  it('deals 16 equal tensors into 4 buckets of 4, sent last first', () => {
    const layout = ParamLayout.of(Array.from({ length: 16 }, (_, i) => ({ name: `t${i}`, shape: [10] })));
    const plan = new BalancedBuckets(4).plan(layout);
    expect(plan.buckets.map((b) => b.length)).toEqual([40, 40, 40, 40]);
    expect(plan.buckets[1]!.tensors).toEqual(['t4', 't5', 't6', 't7']);
    expect(plan.order).toEqual([3, 2, 1, 0]);
  });

  it('keeps every bucket within one tensor of the ideal size, never splitting a tensor', () => {
    const layout = ParamLayout.of(Array.from({ length: 50 }, (_, i) => ({ name: `t${i}`, shape: [1 + ((i * 29) % 17)] })));
    const plan = new BalancedBuckets(5).plan(layout);
    const ideal = layout.totalLength / 5;
    const largest = Math.max(...layout.entries.map((e) => e.length));
    expect(plan.buckets).toHaveLength(5);
    for (const b of plan.buckets) expect(Math.abs(b.length - ideal)).toBeLessThanOrEqual(largest);
  });

  it('makes fewer buckets than asked when there are fewer tensors', () => {
    const layout = ParamLayout.of([{ name: 'a', shape: [3] }, { name: 'b', shape: [5] }]);
    expect(new BalancedBuckets(8).plan(layout).buckets.map((b) => b.tensors)).toEqual([['a'], ['b']]);
  });

  describe('passes the scheduler contract', () => {
    for (const c of schedulerContract(balancedBuckets, { options: { count: 3 }, invalidOptions: [{ options: { count: 0 }, option: 'count' }] })) it(c.name, c.run);
  });
});
