import { OptionError, knownOptions, numberOption } from '@syncopate/core';
import type { LrSchedule, ScheduleInfo } from './schedule.js';

/** Options of {@link linearWarmup}. Give exactly one of `epochs` and `steps`. */
export interface LinearWarmupOptions {
  /** Length of the warm-up in epochs (may be fractional); the rate still grows every step. */
  readonly epochs?: number;
  /** Length of the warm-up in global steps. */
  readonly steps?: number;
  /** Rate at step 0. Default: the trainer's `lr` (η), as in Goyal et al. */
  readonly from?: number;
}

/**
 * Gradual linear warm-up (Goyal et al., "Accurate, large minibatch SGD: training ImageNet in 1
 * hour", 2017, §2.2): over the first T steps the rate grows linearly, one increment per step,
 * from `from` to the rate the earlier schedules give; after T steps it is left alone.
 * Placed after {@link linearScaling} with the default `from`, it ramps from η to kη.
 *
 * @example
 * ```ts
 * schedules: [linearScaling(), linearWarmup({ epochs: 5 })]
 * ```
 */
export function linearWarmup(options: LinearWarmupOptions): LrSchedule<LinearWarmupOptions> {
  knownOptions('linearWarmup', options, ['epochs', 'steps', 'from']);
  if ((options?.epochs === undefined) === (options?.steps === undefined)) {
    throw new OptionError('linearWarmup', 'epochs', "give exactly one of 'epochs' and 'steps'");
  }
  const resolved: LinearWarmupOptions = Object.freeze({
    ...(options.epochs !== undefined && { epochs: numberOption('linearWarmup', 'epochs', options.epochs, { above: 0 }) }),
    ...(options.steps !== undefined && { steps: numberOption('linearWarmup', 'steps', options.steps, { min: 1, integer: true }) }),
    ...(options.from !== undefined && { from: numberOption('linearWarmup', 'from', options.from, { min: 0 }) }),
  });
  return Object.freeze({
    name: 'linearWarmup',
    options: resolved,
    apply(lr: number, info: ScheduleInfo): number {
      const length = resolved.steps ?? Math.max(1, Math.round(resolved.epochs! * info.stepsPerEpoch));
      if (info.step >= length) return lr;
      const start = resolved.from ?? info.baseLr;
      return start + ((lr - start) * info.step) / length;
    },
  });
}
