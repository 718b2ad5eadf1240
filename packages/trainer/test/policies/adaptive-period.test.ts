import { leastSquares } from '@syncopate/data';
import { adaptivePeriod } from '@syncopate/sync-policy';
import { describe, expect, it } from 'vitest';
import { stepDecay } from '../../src/schedules/step-decay.js';
import { onRanks } from '../../src/test-support/simulated-ranks.js';
import { stepEvents } from './support.js';

/** 2048 examples: 4 ranks × 64 steps of 8 per epoch. */
const problem = leastSquares({ samples: 2048, features: 8, noise: 0.5, seed: 5 });

describe('adaptivePeriod (ADPSGD) on the synthetic least-squares problem', () => {
  it('keeps p_init while sampling C₂, and the period grows after the learning-rate drop', async () => {
    const outcomes = await onRanks(
      4,
      problem,
      () => ({
        plugins: [adaptivePeriod({ initialPeriod: 4, samplingSteps: 192, warmupEpochs: 1 })],
        lr: 0.1,
        schedules: [stepDecay({ boundaries: [4], factor: 0.1 })],
        evaluate: false,
      }),
      (t) => t.fit({ epochs: 7 }),
    );
    const steps = stepEvents(outcomes[0]!.events);
    const period = steps.map((e) => e.traces.period!);
    expect(period.slice(0, 64).every((p) => p === 1)).toBe(true); // warm-up epoch: every step
    expect(period.slice(64, 192).every((p) => p === 4)).toBe(true); // sampling: p_init
    // Between sampling and the drop, S_k stays near γ·C₂ and p moves by ±1 around p_init; after the
    // 10× drop S_k falls about 100× while γ·C₂ falls 10×, so p keeps growing.
    const beforeDrop = Math.max(...period.slice(192, 256));
    expect(beforeDrop).toBeLessThanOrEqual(6);
    expect(period.at(-1)!).toBeGreaterThanOrEqual(2 * beforeDrop);
    expect(steps.filter((e) => e.traces.S_k !== undefined && e.step >= 192).every((e) => e.traces.C_2 === steps[191]!.traces.C_2)).toBe(true);
    for (const o of outcomes) expect(o.parameters).toEqual(outcomes[0]!.parameters);
  });
});
