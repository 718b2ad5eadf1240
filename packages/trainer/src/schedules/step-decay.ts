import { OptionError, choiceOption, knownOptions, numberOption } from '@syncopate/core';
import type { LrSchedule, ScheduleInfo } from './schedule.js';

/** Options of {@link stepDecay}. */
export interface StepDecayOptions {
  /** Strictly increasing epochs (or steps, see `unit`) at which the rate is multiplied by `factor`. */
  readonly boundaries: readonly number[];
  /** Multiplier applied at each boundary, in (0, 1]. Default 0.1. */
  readonly factor?: number;
  /** Whether `boundaries` count epochs (default) or global steps. */
  readonly unit?: 'epoch' | 'step';
}

/**
 * Piecewise-constant step decay: the rate is multiplied by `factor` at every boundary passed, as in
 * He et al., "Deep residual learning for image recognition", CVPR 2016 (÷10 at epochs 30, 60, 80 on
 * ImageNet), the schedule the SlowMo experiments follow.
 *
 * @example
 * ```ts
 * schedules: [stepDecay({ boundaries: [30, 60, 80], factor: 0.1 })]
 * ```
 */
export function stepDecay(options: StepDecayOptions): LrSchedule<Required<StepDecayOptions>> {
  knownOptions('stepDecay', options, ['boundaries', 'factor', 'unit']);
  const boundaries = options?.boundaries;
  if (!Array.isArray(boundaries) || boundaries.length === 0) {
    throw new OptionError('stepDecay', 'boundaries', 'must be a non-empty array of strictly increasing positive integers');
  }
  boundaries.forEach((b, i) => {
    numberOption('stepDecay', `boundaries[${i}]`, b, { min: 1, integer: true });
    if (i > 0 && b <= boundaries[i - 1]!) {
      throw new OptionError('stepDecay', 'boundaries', `must be strictly increasing, got ${boundaries[i - 1]} then ${b}`);
    }
  });
  const resolved = Object.freeze({
    boundaries: Object.freeze([...boundaries]),
    factor: numberOption('stepDecay', 'factor', options.factor, { above: 0, max: 1 }, 0.1),
    unit: choiceOption('stepDecay', 'unit', options.unit, ['epoch', 'step'] as const, 'epoch'),
  });
  return Object.freeze({
    name: 'stepDecay',
    options: resolved,
    apply(lr: number, info: ScheduleInfo): number {
      const at = resolved.unit === 'epoch' ? info.epoch : info.step;
      let passed = 0;
      for (const b of resolved.boundaries) if (at >= b) passed++;
      return lr * Math.pow(resolved.factor, passed);
    },
  });
}
