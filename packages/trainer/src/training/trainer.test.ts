import { AbortedError, NonFiniteError, type Dataset, type StepEvent, type TrainableModel } from '@syncopate/core';
import { bsp } from '@syncopate/sync-policy';
import { describe, expect, it } from 'vitest';
import { momentumSgd } from '../optimizers/momentum-sgd.js';
import { linearScaling } from '../schedules/linear-scaling.js';
import { failureOf, onRanks, smallProblem } from '../test-support/simulated-ranks.js';

const problem = smallProblem();

describe('Trainer with BSP on the simulated network', () => {
  it('keeps every rank bit-identical and converges towards the known optimum', async () => {
    const start = problem.objective(problem.layout.allocate());
    const outcomes = await onRanks(4, problem, () => ({ plugins: [bsp()], optimizer: momentumSgd({ momentum: 0.5 }) }), (t) => t.fit({ epochs: 6 }));
    for (const o of outcomes) expect(o.parameters).toEqual(outcomes[0]!.parameters);
    const gap = problem.objective(outcomes[0]!.parameters) - problem.optimalLoss;
    expect(gap).toBeLessThan(0.01 * (start - problem.optimalLoss));
    expect(outcomes[0]!.result).toMatchObject({ steps: 48, epochs: 6, completed: true, syncCount: 48 });
  });

  it('emits one step event per step and one epoch event per epoch, with the metrics filled in', async () => {
    const [rank0] = await onRanks(2, problem, () => ({ schedules: [linearScaling()] }), (t) => t.fit({ epochs: 2 }));
    const steps = rank0!.events.filter((e): e is StepEvent => e.type === 'step');
    const epochs = rank0!.events.filter((e) => e.type === 'epoch');
    expect(steps).toHaveLength(32);
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1]);
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    for (const s of steps) {
      expect(s.synced).toBe(true);
      expect(s.lr).toBeCloseTo(0.1, 12); // 0.05 × 2 ranks
      expect(s.bytesSent).toBeGreaterThanOrEqual(4 * problem.layout.totalLength);
      expect(s.timings.total).toBeGreaterThanOrEqual(s.timings.communication);
      expect(Number.isFinite(s.loss)).toBe(true);
    }
    expect(steps.at(-1)!.syncCount).toBe(32);
    expect(steps.at(-1)!.loss).toBeLessThan(steps[0]!.loss);
    const last = epochs.at(-1)!;
    expect(last.type === 'epoch' && last.testLoss! < steps[0]!.loss).toBe(true);
  });

  it('stops with a NonFiniteError naming the step and the tensor, or skips the step on every rank', async () => {
    const poisoned = (rank: number): TrainableModel => {
      const model = problem.createModel();
      let calls = 0;
      return {
        layout: model.layout,
        readParameters: (into) => model.readParameters(into),
        writeParameters: (from) => model.writeParameters(from),
        evaluate: (batch) => model.evaluate(batch),
        computeGradients: async (batch, gradients) => {
          const report = await model.computeGradients(batch, gradients);
          if (rank === 1 && calls++ === 2) gradients[8] = NaN; // the bias, at step 2 on rank 1
          return report;
        },
      };
    };
    const stopped = await failureOf(onRanks(1, problem, () => ({ model: poisoned(1) }), (t) => t.fit({ epochs: 1 })));
    expect(stopped).toBeInstanceOf(NonFiniteError);
    expect(stopped.message).toBe("gradient of tensor 'bias': non-finite value NaN at index 0 (step 2)");

    const skipped = await onRanks(2, problem, (rank) => ({ model: poisoned(rank), nonFinite: 'skip' }), (t) => t.fit({ epochs: 1 }));
    for (const o of skipped) {
      const step2 = o.events.find((e): e is StepEvent => e.type === 'step' && e.step === 2)!;
      expect(step2.traces.skipped).toBe(1);
      expect(step2.synced).toBe(false);
      expect(o.result.syncCount).toBe(15);
      expect(o.parameters).toEqual(skipped[0]!.parameters);
    }
  });

  it('pauses at stopAtStep and continues from the same batch without rebuilding the epoch (no batch drawn twice)', async () => {
    let drawn = 0;
    const counted: Dataset = {
      name: problem.dataset.name,
      inputShape: problem.dataset.inputShape,
      trainSize: problem.dataset.trainSize,
      testSize: problem.dataset.testSize,
      batchesPerEpoch: (o) => problem.dataset.batchesPerEpoch(o),
      testBatches: (n) => problem.dataset.testBatches(n),
      trainBatches: (epoch, o) => {
        const inner = problem.dataset.trainBatches(epoch, o);
        return {
          *[Symbol.iterator]() {
            for (const batch of inner) {
              drawn++;
              yield batch;
            }
          },
        };
      },
    };
    const [paused] = await onRanks(1, problem, () => ({ data: counted, evaluate: false }), async (t) => {
      const results = [];
      for (const stopAtStep of [3, 6, 32, 40]) results.push(await t.fit({ epochs: 3, stopAtStep }));
      return results;
    });
    expect(paused!.result.map((r) => [r.steps, r.epochs, r.completed])).toEqual([[3, 0, false], [6, 0, false], [32, 1, false], [40, 1, false]]);
    expect(drawn).toBe(40);
    const [straight] = await onRanks(1, problem, () => ({ evaluate: false }), (t) => t.fit({ epochs: 3, stopAtStep: 40 }));
    expect(paused!.parameters).toEqual(straight!.parameters);
  });

  it('ends the run with an AbortedError when the signal fires', async () => {
    const controller = new AbortController();
    const run = onRanks(1, problem, () => ({}), async (t) => {
      t.metrics$.subscribe((e) => e.type === 'step' && e.step === 3 && controller.abort('enough'));
      return t.fit({ epochs: 5, signal: controller.signal });
    });
    const error = await failureOf(run);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.message).toBe('training step 4 was aborted: enough');
  });
});
