import { OptionError, type Bucket, type BucketPlan } from '@syncopate/core';

/**
 * Issue a plan's buckets in plan order while keeping at most `creditBytes` (float32 bytes) in
 * flight: ByteScheduler's credit-based preemption (Peng et al., "A generic communication
 * scheduler for distributed DNN training acceleration", SOSP 2019). A bucket starts once the
 * buckets ahead of it have left enough credit; a bucket larger than the whole credit starts
 * alone. With a small credit a bucket of higher priority that becomes ready later waits behind
 * few bytes; with an unbounded credit this is plain "start everything now".
 *
 * Resolves when every bucket's exchange has resolved; rejects with the first failure (buckets
 * not yet started are then not started).
 *
 * @example
 * ```ts
 * await issueWithCredits(plan, 1 << 20, (bucket) => exchange.run(gradients, { stream: 'gradient', step, bucket }));
 * ```
 */
export async function issueWithCredits<T>(plan: BucketPlan, creditBytes: number, start: (bucket: Bucket) => Promise<T>): Promise<T[]> {
  if (!(Number.isFinite(creditBytes) && creditBytes >= 4) && creditBytes !== Infinity) {
    throw new OptionError('issueWithCredits', 'creditBytes', `must be a number of bytes >= 4 (or Infinity), got ${String(creditBytes)}`);
  }
  const results: T[] = new Array(plan.order.length);
  const running = new Set<Promise<void>>();
  let inFlight = 0;
  for (const [position, index] of plan.order.entries()) {
    const bucket = plan.buckets[index];
    if (!bucket) throw new OptionError('issueWithCredits', 'plan.order', `names bucket ${index}, but the plan has ${plan.buckets.length} buckets`);
    const bytes = bucket.length * 4;
    while (running.size > 0 && inFlight + bytes > creditBytes) await Promise.race(running);
    inFlight += bytes;
    const task: Promise<void> = start(bucket).then((value) => {
      results[position] = value;
      inFlight -= bytes;
      running.delete(task);
    });
    running.add(task);
  }
  await Promise.all(running);
  return results;
}
