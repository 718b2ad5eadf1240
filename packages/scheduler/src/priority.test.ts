import { OptionError, ParamLayout, Scheduler, type Provider, type Resolver } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { PriorityScheduler, priority } from './priority.js';

const layout = ParamLayout.of([
  { name: 'l1/kernel', shape: [100, 10] }, // 1000 elements, needed first by the forward pass
  { name: 'l1/bias', shape: [10] },
  { name: 'l2/kernel', shape: [10, 10] },
  { name: 'empty', shape: [0] },
  { name: 'l2/bias', shape: [10] },
  { name: 'l3/kernel', shape: [10, 3] },
]);

describe('priority', () => {
  it('cuts the buffer into partitions of exactly partitionBytes (the last one shorter) that tile it', () => {
    for (const partitionBytes of [4, 40, 1000, 4000, 1 << 20]) {
      const plan = new PriorityScheduler({ partitionBytes, creditBytes: partitionBytes }).plan(layout);
      const slice = partitionBytes / 4;
      let end = 0;
      for (const b of plan.buckets) {
        expect(b.offset).toBe(end);
        expect(b.length).toBe(Math.min(slice, layout.totalLength - b.offset));
        end += b.length;
      }
      expect(end).toBe(layout.totalLength);
    }
  });

  it('splits a large tensor over several partitions and names every tensor a partition touches', () => {
    const plan = new PriorityScheduler({ partitionBytes: 1600, creditBytes: 1600 }).plan(layout); // 400 elements
    const holding = plan.buckets.filter((b) => b.tensors.includes('l1/kernel')).map((b) => b.index);
    expect(holding).toEqual([0, 1, 2]);
    // Partition 2 covers [800, 1200): the end of l1/kernel, all of l1/bias, l2/kernel, the empty tensor and the rest.
    expect(plan.buckets[2]!.tensors).toEqual(['l1/kernel', 'l1/bias', 'l2/kernel', 'empty', 'l2/bias', 'l3/kernel']);
  });

  it('sends the first layers first: the order is the layout order', () => {
    const plan = new PriorityScheduler({ partitionBytes: 400, creditBytes: 400 }).plan(layout);
    const firstOffsets = plan.order.map((i) => plan.buckets[i]!.offset);
    expect(firstOffsets).toEqual([...firstOffsets].sort((a, b) => a - b));
    expect(plan.buckets[plan.order[0]!]!.tensors).toEqual(['l1/kernel']);
  });

  it('gives a plan hash that depends on the partition size only through the plan', () => {
    const a = new PriorityScheduler({ partitionBytes: 400, creditBytes: 400 }).plan(layout);
    const b = new PriorityScheduler({ partitionBytes: 400, creditBytes: 4000 }).plan(ParamLayout.of(layout.entries));
    const c = new PriorityScheduler({ partitionBytes: 800, creditBytes: 400 }).plan(layout);
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
  });

  it('validates options and registers under the Scheduler token', () => {
    expect(() => priority({ partitionBytes: 2 })).toThrow(OptionError);
    expect(() => priority({ partitionBytes: 2 })).toThrow(/priority: option 'partitionBytes' must be an integer >= 4, got 2/);
    expect(() => priority({ creditBytes: 1.5 })).toThrow(/'creditBytes'/);
    expect(() => priority({ partitionByte: 8 } as never)).toThrow(/did you mean 'partitionBytes'/);
    expect(priority({ partitionBytes: 1024 }).options.creditBytes).toBe(4096);
    const registered = new Map<symbol, Provider<unknown>>();
    priority().register({ register: (t, p) => registered.set(t.key, p as Provider<unknown>) });
    const provider = registered.get(Scheduler.key) as { useFactory: (r: Resolver) => PriorityScheduler };
    const service = provider.useFactory({} as Resolver);
    expect(service.name).toBe('priority');
    expect(service.creditBytes).toBe(4 * (512 << 10));
  });
});
