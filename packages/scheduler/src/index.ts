/**
 * @packageDocumentation
 * Communication scheduling for Syncopate: how the flat gradient/parameter buffer is cut into
 * buckets and in which order they travel.
 */
export { FusionScheduler, fusion, type FusionOptions } from './fusion.js';
export { SingleBucketScheduler, singleBucket } from './single-bucket.js';
export { makePlan } from './plan.js';
export { PriorityScheduler, priority, type PriorityOptions } from './priority.js';
export { issueWithCredits } from './credits.js';
export { autotune, type AutotuneOptions, type AutotuneResult } from './autotune.js';
