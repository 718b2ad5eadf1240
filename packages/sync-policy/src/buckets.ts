import type { Bucket, ParamLayout, Scheduler } from '@syncopate/core';

/**
 * The buckets of `layout` in the order they travel: the scheduler's plan when one is composed,
 * else one bucket over the whole buffer. A pure function of the layout, so every rank agrees.
 */
export function bucketsInOrder(layout: ParamLayout, scheduler: Scheduler | undefined): readonly Bucket[] {
  if (!scheduler) return [layout.wholeBucket()];
  const plan = scheduler.plan(layout);
  return plan.order.map((index) => plan.buckets[index]!);
}
