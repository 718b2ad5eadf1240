/**
 * NaN and ±Inf gradients: with `nonFinite: 'stop'` the run ends with a NonFiniteError naming the
 * step and the tensor (and no rank hangs waiting for the poisoned one); with `'skip'` every rank
 * drops exactly the poisoned steps, in agreement, and the parameters stay finite and identical.
 */
import { NonFiniteError, type StepEvent, type TrainableModel } from '@syncopate/core';
import { bsp, localSgd } from '@syncopate/sync-policy';
import { describe, expect, it } from 'vitest';
import { onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';

const problem = smallProblem();
const RANKS = 3;

/** `model` with `value` written at flat `index` of the gradient at each step in `steps` on `rank`. */
function poisoned(rank: number, poison: { rank: number; steps: readonly number[]; index: number; value: number }): TrainableModel {
  const model = problem.createModel();
  let step = 0;
  return {
    layout: model.layout,
    readParameters: (into) => model.readParameters(into),
    writeParameters: (from) => model.writeParameters(from),
    evaluate: (batch) => model.evaluate(batch),
    computeGradients: async (batch, gradients) => {
      const report = await model.computeGradients(batch, gradients);
      if (rank === poison.rank && poison.steps.includes(step)) gradients[poison.index] = poison.value;
      step++;
      return report;
    },
  };
}

const layout = problem.createModel().layout;
const tensorAt = (index: number) => layout.entries.find((e) => index >= e.offset && index < e.offset + e.length)!;

const cases = [
  { value: NaN, index: 3, rank: 0, step: 1 },
  { value: Infinity, index: layout.totalLength - 1, rank: 2, step: 5 },
  { value: -Infinity, index: 0, rank: 1, step: 0 },
  { value: NaN, index: 7, rank: 1, step: 9 },
];

describe('non-finite gradients', () => {
  it.each(cases)('stop: $value at index $index on rank $rank, step $step ends the run naming step and tensor', async ({ value, index, rank, step }) => {
    const outcomes = await onRanks(RANKS, problem, (r) => ({ model: poisoned(r, { rank, steps: [step], index, value }), plugins: [bsp()] }), async (t) => {
      try {
        await t.fit({ epochs: 2 });
        return undefined;
      } catch (error) {
        return error as Error;
      }
    });
    const entry = tensorAt(index);
    const poisonedError = outcomes[rank]!.result;
    expect(poisonedError).toBeInstanceOf(NonFiniteError);
    expect(poisonedError!.message).toBe(`gradient of tensor '${entry.name}': non-finite value ${value} at index ${index - entry.offset} (step ${step})`);
    for (const [r, o] of outcomes.entries()) {
      // BSP averages before the optimizer's fused check, so every rank meets the poisoned value
      // and stops at the same step with the same message; none trains on, none hangs.
      expect(o.result, `rank ${r}`).toBeInstanceOf(NonFiniteError);
      expect(o.result!.message).toContain(`(step ${step})`);
      expect(o.result!.message).toContain(`tensor '${entry.name}'`);
      expect(o.events.filter((e) => e.type === 'step')).toHaveLength(step);
    }
  });

  // Known gap (reported in docs/reliability.md): the optimizer checks for non-finite values while
  // it updates, so when it stops, the flat parameters (and a momentum buffer) already hold the
  // poisoned update, and a `save` after the error would checkpoint them. Flips to passing once
  // the trainer checks before updating or rolls the step back.
  it.fails('stop: leaves the parameters of the last good step (known gap)', async () => {
    const outcomes = await onRanks(RANKS, problem, (r) => ({ model: poisoned(r, { rank: 2, steps: [5], index: 8, value: Infinity }), plugins: [bsp()] }), async (t) => {
      await t.fit({ epochs: 2 }).catch(() => undefined);
      return undefined;
    });
    for (const o of outcomes) expect(Array.from(o.parameters).every(Number.isFinite)).toBe(true);
  });

  it('skip: every rank drops exactly the poisoned steps, in agreement, and ends finite and identical', async () => {
    const poison = { rank: 1, steps: [2, 3, 11], index: 5, value: NaN };
    for (const plugins of [[bsp()], [localSgd({ period: 3 })]]) {
      const outcomes = await onRanks(RANKS, problem, (r) => ({ model: poisoned(r, poison), nonFinite: 'skip', plugins }), (t) => t.fit({ epochs: 2 }));
      for (const o of outcomes) {
        const steps = o.events.filter((e): e is StepEvent => e.type === 'step');
        expect(steps.filter((s) => s.traces.skipped === 1).map((s) => s.step)).toEqual(poison.steps);
        expect(Array.from(o.parameters).every(Number.isFinite)).toBe(true);
        expect(o.parameters).toEqual(outcomes[0]!.parameters);
      }
      const start = problem.objective(problem.layout.allocate());
      expect(problem.objective(outcomes[0]!.parameters)).toBeLessThan(start);
    }
  });
});
