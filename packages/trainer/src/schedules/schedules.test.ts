import { OptionError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { linearScaling } from './linear-scaling.js';
import { linearWarmup } from './linear-warmup.js';
import { scheduledLr, type ScheduleInfo } from './schedule.js';
import { stepDecay } from './step-decay.js';

const info = (step: number, over: Partial<ScheduleInfo> = {}): ScheduleInfo => ({
  step,
  epoch: Math.floor(step / 10),
  stepsPerEpoch: 10,
  baseLr: 0.1,
  size: 8,
  batchSize: 32,
  ...over,
});

describe('learning-rate schedules', () => {
  it('stepDecay multiplies by factor once per boundary passed, by epoch or by step', () => {
    const byEpoch = stepDecay({ boundaries: [2, 4], factor: 0.5 });
    expect([0, 19, 20, 39, 40, 99].map((s) => byEpoch.apply(1, info(s)))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    const byStep = stepDecay({ boundaries: [3], unit: 'step' });
    expect(byStep.apply(1, info(2))).toBe(1);
    expect(byStep.apply(1, info(3))).toBeCloseTo(0.1, 12);
  });

  it('linearScaling multiplies by the global batch over the reference batch (k = size by default)', () => {
    expect(linearScaling().apply(0.1, info(0))).toBeCloseTo(0.8, 12);
    expect(linearScaling({ referenceBatchSize: 256 }).apply(0.1, info(0))).toBeCloseTo(0.1, 12);
  });

  it('linearWarmup after linearScaling ramps linearly from η to kη, one increment per step, then stays', () => {
    const schedules = [linearScaling(), linearWarmup({ epochs: 0.5 })];
    const lrs = [0, 1, 2, 3, 4, 5, 6, 50].map((s) => scheduledLr(schedules, info(s)));
    expect(lrs[0]).toBeCloseTo(0.1, 12);
    for (let s = 1; s < 5; s++) expect(lrs[s]! - lrs[s - 1]!).toBeCloseTo(0.7 / 5, 12);
    expect(lrs[5]).toBeCloseTo(0.8, 12);
    expect(lrs[7]).toBeCloseTo(0.8, 12);
    expect(linearWarmup({ steps: 4, from: 0 }).apply(1, info(1))).toBeCloseTo(0.25, 12);
  });

  it('rejects bad options with the option named', () => {
    expect(() => stepDecay({ boundaries: [5, 3] })).toThrow(/stepDecay: option 'boundaries' must be strictly increasing, got 5 then 3/);
    expect(() => stepDecay({ boundaries: [] })).toThrow(OptionError);
    expect(() => stepDecay({ boundaries: [1], factor: 0 })).toThrow(/factor/);
    expect(() => linearWarmup({})).toThrow(/exactly one of 'epochs' and 'steps'/);
    expect(() => linearWarmup({ epochs: 1, steps: 3 })).toThrow(OptionError);
    expect(() => linearScaling({ referenceBatchSize: 0.5 })).toThrow(/referenceBatchSize/);
  });
});
