import { knownOptions, numberOption } from '@syncopate/core';
import type { LrSchedule, ScheduleInfo } from './schedule.js';

/** Options of {@link linearScaling}. */
export interface LinearScalingOptions {
  /** The mini-batch size the base rate was tuned for. Default: the per-rank batch size. */
  readonly referenceBatchSize?: number;
}

/**
 * The linear scaling rule (Goyal et al., "Accurate, large minibatch SGD: training ImageNet in 1
 * hour", 2017): when the mini-batch grows k-fold, multiply the learning rate by k. The global batch
 * is `size × batchSize`, so with the default reference k is the number of ranks.
 *
 * @example
 * ```ts
 * createTrainer({ ..., lr: 0.1, schedules: [linearScaling({ referenceBatchSize: 256 })] });
 * ```
 */
export function linearScaling(options: LinearScalingOptions = {}): LrSchedule<LinearScalingOptions> {
  knownOptions('linearScaling', options, ['referenceBatchSize']);
  const resolved: LinearScalingOptions = Object.freeze(
    options.referenceBatchSize === undefined
      ? {}
      : { referenceBatchSize: numberOption('linearScaling', 'referenceBatchSize', options.referenceBatchSize, { min: 1, integer: true }) },
  );
  return Object.freeze({
    name: 'linearScaling',
    options: resolved,
    apply(lr: number, info: ScheduleInfo): number {
      return (lr * info.size * info.batchSize) / (resolved.referenceBatchSize ?? info.batchSize);
    },
  });
}
