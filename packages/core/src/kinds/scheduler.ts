import type { Bucket, ParamLayout } from '../layout.js';
import { token } from '../token.js';

/** How the flat buffer is cut into buckets and in which order they travel. */
export interface BucketPlan {
  readonly buckets: readonly Bucket[];
  /** Indices into `buckets`, in the order they are communicated. */
  readonly order: readonly number[];
  /** Identical on every rank for the same layout and options; checked at start-up. */
  readonly hash: string;
}

/**
 * Communication scheduling: tensor fusion, wait-free backprop order, priorities.
 * The plan must be a pure function of the layout and the scheduler's options, so every rank
 * computes the same one.
 */
export interface Scheduler {
  readonly name: string;
  plan(layout: ParamLayout): BucketPlan;
}

/** The service key of the {@link Scheduler} interface. */
export const Scheduler = token<Scheduler>('syncopate/Scheduler');
