import { ParamLayout, Scheduler, type Provider, type Resolver } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { FusionScheduler, fusion } from './fusion.js';
import { SingleBucketScheduler, singleBucket } from './single-bucket.js';

const layout = ParamLayout.of([
  { name: 'l1/kernel', shape: [100, 10] }, // 1000
  { name: 'l1/bias', shape: [10] }, // 10
  { name: 'l2/kernel', shape: [10, 10] }, // 100
  { name: 'l2/bias', shape: [10] }, // 10
  { name: 'l3/kernel', shape: [10, 3] }, // 30
]);

function coverage(plan: ReturnType<FusionScheduler['plan']>): number[] {
  const seen = new Array(layout.totalLength).fill(0);
  for (const b of plan.buckets) for (let i = b.offset; i < b.offset + b.length; i++) seen[i]++;
  return seen;
}

describe('fusion', () => {
  it('covers every element exactly once with contiguous buckets no larger than the threshold (unless one tensor is)', () => {
    for (const bucketBytes of [4, 40, 440, 4000, 1 << 20]) {
      for (const order of ['reverse', 'forward'] as const) {
        const plan = new FusionScheduler({ bucketBytes, order }).plan(layout);
        expect(coverage(plan).every((c) => c === 1)).toBe(true);
        for (const b of plan.buckets) {
          expect(b.length * 4 <= bucketBytes || b.tensors.length === 1).toBe(true);
        }
        expect([...plan.order].sort((a, b) => a - b)).toEqual(plan.buckets.map((b) => b.index));
      }
    }
  });

  it('sends the last layers first in reverse order', () => {
    const plan = new FusionScheduler({ bucketBytes: 600, order: 'reverse' }).plan(layout);
    const first = plan.buckets[plan.order[0]!]!;
    expect(first.tensors).toContain('l3/kernel');
    expect(plan.buckets.length).toBe(2);
  });

  it('gives the same plan hash for the same layout and options, and a different one otherwise', () => {
    const a = new FusionScheduler({ bucketBytes: 400, order: 'reverse' }).plan(layout);
    const b = new FusionScheduler({ bucketBytes: 400, order: 'reverse' }).plan(ParamLayout.of(layout.entries));
    const c = new FusionScheduler({ bucketBytes: 800, order: 'reverse' }).plan(layout);
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
    expect(new SingleBucketScheduler().plan(layout).buckets).toHaveLength(1);
  });

  it('validates options and registers under the Scheduler token', () => {
    expect(() => fusion({ bucketBytes: 0 })).toThrow(/fusion: option 'bucketBytes'/);
    expect(() => fusion({ order: 'sideways' as never })).toThrow(/'reverse', 'forward'/);
    expect(() => singleBucket({ x: 1 } as never)).toThrow(/not an option/);
    const registered = new Map<symbol, Provider<unknown>>();
    fusion({ bucketBytes: 1024 }).register({ register: (t, p) => registered.set(t.key, p as Provider<unknown>) });
    const provider = registered.get(Scheduler.key) as { useFactory: (r: Resolver) => Scheduler };
    expect(provider.useFactory({} as Resolver).name).toBe('fusion');
  });
});
