import type { Bucket, ParamLayout, Scheduler } from '@syncopate/core';

/**
 * The buckets of `layout` in the order they travel: the scheduler's plan when one is composed,
 * else one bucket over the whole buffer. The exchange keys error-feedback memory by
 * `<stream>/bucket-<index>`, so these are the keys a policy's gradient buckets are kept under.
 */
export function bucketsInOrder(layout: ParamLayout, scheduler: Scheduler | undefined): readonly Bucket[] {
  if (!scheduler) return [layout.wholeBucket()];
  const plan = scheduler.plan(layout);
  return plan.order.map((index) => plan.buckets[index]!);
}

/** The error-feedback key of `bucket` on `stream`, as the trainer's exchange stage forms it. */
export function memoryKey(stream: string, bucket: Bucket): string {
  return `${stream}/bucket-${bucket.index}`;
}
