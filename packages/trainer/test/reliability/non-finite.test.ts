/**
 * NaN and ±Inf gradients: with `nonFinite: 'stop'` the run ends with a NonFiniteError naming the
 * step and the tensor (and no rank hangs waiting for the poisoned one); with `'skip'` every rank
 * drops exactly the poisoned steps, in agreement, and the parameters stay finite and identical.
 */
import { NonFiniteError, type StepEvent, type TrainableModel } from '@syncopate/core';
import { errorFeedback, momentumCorrection, topK } from '@syncopate/compression';
import { bsp, localSgd } from '@syncopate/sync-policy';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { momentumSgd } from '../../src/optimizers/momentum-sgd.js';
import { onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';

const problem = smallProblem();
const dir = mkdtempSync(join(tmpdir(), 'syncopate-nonfinite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
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

  it('stop: leaves parameters, optimizer buffers and training counters exactly as after the last good step, on every rank', async () => {
    // A checkpoint saved after the error must be the very file a clean run saves when paused
    // before the poisoned step: same parameters, momentum buffer, counters, byte for byte.
    const options = (poison: boolean) => (r: number) => ({
      model: poisoned(r, { rank: 2, steps: poison ? [5] : [], index: 8, value: Infinity }),
      plugins: [bsp()],
      optimizer: momentumSgd({ momentum: 0.9 }),
    });
    const saved = await onRanks(RANKS, problem, options(true), async (t) => {
      const error = await t.fit({ epochs: 2 }).then(() => undefined, (e: unknown) => e as Error);
      await t.save(join(dir, `stopped-${t.rank}.ckpt`));
      return { error, step: t.step };
    });
    await onRanks(RANKS, problem, options(false), async (t) => {
      await t.fit({ epochs: 2, stopAtStep: 5 });
      await t.save(join(dir, `clean-${t.rank}.ckpt`));
    });
    for (let r = 0; r < RANKS; r++) {
      expect(saved[r]!.result.error, `rank ${r}`).toBeInstanceOf(NonFiniteError);
      expect(saved[r]!.result.step).toBe(5);
      expect(Array.from(saved[r]!.parameters).every(Number.isFinite)).toBe(true);
      expect(readFileSync(join(dir, `stopped-${r}.ckpt`)), `rank ${r}'s checkpoint`).toEqual(readFileSync(join(dir, `clean-${r}.ckpt`)));
    }
  });

  it('stop inside a compressor (BSP + top-k + error feedback): the rank that stops keeps the state of the last good step', async () => {
    // The compressor checks its input and stops rank 2 before its memory changes; the other
    // ranks end with a RankLostError (rank 2 was lost, or rank 0 that already ended for it).
    const options = (poison: boolean) => (r: number) => ({
      model: poisoned(r, { rank: 2, steps: poison ? [5] : [], index: 8, value: Infinity }),
      plugins: [bsp(), topK({ ratio: 0.3 }), errorFeedback()],
      optimizer: momentumSgd({ momentum: 0.9 }),
    });
    const stopped = await onRanks(RANKS, problem, options(true), async (t) => {
      const error = await t.fit({ epochs: 2 }).then(() => undefined, (e: unknown) => e as Error);
      await t.save(join(dir, `stopped-ef-${t.rank}.ckpt`));
      return error;
    });
    await onRanks(RANKS, problem, options(false), async (t) => {
      await t.fit({ epochs: 2, stopAtStep: 5 });
      await t.save(join(dir, `clean-ef-${t.rank}.ckpt`));
    });
    expect(stopped[2]!.result).toBeInstanceOf(NonFiniteError);
    expect(stopped[2]!.result!.message).toMatch(/non-finite value Infinity at index 8 \(step 5\)/);
    for (const r of [0, 1]) expect(stopped[r]!.result!.message).toMatch(/rank [02] was lost/);
    expect(readFileSync(join(dir, 'stopped-ef-2.ckpt'))).toEqual(readFileSync(join(dir, 'clean-ef-2.ckpt')));
  });

  // Momentum correction takes the raw gradient into its velocity; it keeps that aside until
  // the compressor's output is known, so top-k's refusal leaves u and v as they were.
  it('stop inside a compressor (BSP + top-k + DGC momentum correction): the rank that stops keeps the state of the last good step', async () => {
    const options = (poison: boolean) => (r: number) => ({
      model: poisoned(r, { rank: 2, steps: poison ? [5] : [], index: 8, value: Infinity }),
      plugins: [bsp(), topK({ ratio: 0.3 }), momentumCorrection()],
    });
    const stopped = await onRanks(RANKS, problem, options(true), async (t) => {
      const error = await t.fit({ epochs: 2 }).then(() => undefined, (e: unknown) => e as Error);
      await t.save(join(dir, `stopped-mc-${t.rank}.ckpt`));
      return error;
    });
    await onRanks(RANKS, problem, options(false), async (t) => {
      await t.fit({ epochs: 2, stopAtStep: 5 });
      await t.save(join(dir, `clean-mc-${t.rank}.ckpt`));
    });
    expect(stopped[2]!.result).toBeInstanceOf(NonFiniteError);
    expect(stopped[2]!.result!.message).toMatch(/non-finite value Infinity at index 8 \(step 5\)/);
    expect(readFileSync(join(dir, 'stopped-mc-2.ckpt'))).toEqual(readFileSync(join(dir, 'clean-mc-2.ckpt')));
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
