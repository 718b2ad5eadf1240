import { OptionError, ParamLayout } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { issueWithCredits } from './credits.js';
import { PriorityScheduler } from './priority.js';

const layout = ParamLayout.of([
  { name: 'a', shape: [1000] },
  { name: 'b', shape: [250] },
]);
const plan = new PriorityScheduler({ partitionBytes: 400, creditBytes: 400 }).plan(layout); // 13 partitions of ≤ 100 elements

/** Start function whose exchanges finish when the test says so; records bytes in flight. */
function controlledStart() {
  const pending: Array<() => void> = [];
  const started: number[] = [];
  let inFlight = 0;
  let peak = 0;
  const start = (bucket: { index: number; length: number }) =>
    new Promise<number>((resolve) => {
      started.push(bucket.index);
      inFlight += bucket.length * 4;
      peak = Math.max(peak, inFlight);
      pending.push(() => {
        inFlight -= bucket.length * 4;
        resolve(bucket.index);
      });
    });
  return { start, started, pending, peak: () => peak };
}

async function drain(control: ReturnType<typeof controlledStart>, done: Promise<unknown>): Promise<void> {
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    await new Promise((r) => setTimeout(r, 0));
    control.pending.shift()?.();
  }
}

describe('issueWithCredits', () => {
  it('never has more than creditBytes in flight and starts buckets in plan order', async () => {
    for (const credit of [400, 1000, 2000]) {
      const control = controlledStart();
      const done = issueWithCredits(plan, credit, control.start);
      await drain(control, done);
      expect(control.peak()).toBeLessThanOrEqual(credit);
      expect(control.started).toEqual([...plan.order]);
      expect(await done).toEqual([...plan.order]);
    }
  });

  it('starts everything at once with an unbounded credit, and a bucket larger than the credit alone', async () => {
    const all = controlledStart();
    const done = issueWithCredits(plan, Infinity, all.start);
    await Promise.resolve();
    expect(all.started).toHaveLength(plan.buckets.length);
    await drain(all, done);
    const alone = controlledStart();
    const lone = issueWithCredits(plan, 4, alone.start);
    await drain(alone, lone);
    expect(alone.peak()).toBe(400);
  });

  it('rejects a bad credit and passes on an exchange failure', async () => {
    await expect(issueWithCredits(plan, 0, async () => 0)).rejects.toThrow(OptionError);
    await expect(issueWithCredits(plan, Number.NaN, async () => 0)).rejects.toThrow(/creditBytes' must be a number of bytes >= 4/);
    await expect(issueWithCredits(plan, 800, async (b) => (b.index === 3 ? Promise.reject(new Error('link down')) : 0))).rejects.toThrow('link down');
  });
});
