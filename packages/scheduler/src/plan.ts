import { fnv1a64, type Bucket, type BucketPlan, type ParamLayout } from '@syncopate/core';

/**
 * Build a {@link BucketPlan} from buckets and a communication order. The hash covers the layout,
 * every bucket's range and the order, so ranks that would communicate differently disagree at
 * start-up instead of corrupting each other's sums.
 */
export function makePlan(layout: ParamLayout, buckets: readonly Bucket[], order: readonly number[], label: string): BucketPlan {
  const text = [label, layout.hash(), ...buckets.map((b) => `${b.index}:${b.offset}+${b.length}`), order.join(',')].join('|');
  return Object.freeze({ buckets: Object.freeze([...buckets]), order: Object.freeze([...order]), hash: fnv1a64(text) });
}
