/**
 * The acceptance properties of the first algorithms, end to end through createTrainer on the
 * simulated network: SlowMo(α = 1, β = 0) is local SGD; local SGD with τ = 1 is per-step
 * parameter averaging; the base-buffer policies do what they say.
 */
import { readCheckpoint } from './checkpoint/checkpoint-file.js';
import { slowMo } from '@syncopate/momentum';
import { bsp, localSgd } from '@syncopate/sync-policy';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { momentumSgd } from './optimizers/momentum-sgd.js';
import { sgd } from './optimizers/sgd.js';
import { onRanks, smallProblem } from './test-support/simulated-ranks.js';

const problem = smallProblem();
const dir = mkdtempSync(join(tmpdir(), 'syncopate-algorithms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SlowMo', () => {
  it('with α = 1, β = 0 gives parameters bit-identical to local SGD, on every rank', async () => {
    for (const optimizer of [sgd(), momentumSgd({ momentum: 0.9 })]) {
      const fit = { epochs: 3 };
      const local = await onRanks(4, problem, () => ({ plugins: [localSgd({ period: 3 })], optimizer }), (t) => t.fit(fit));
      const slow = await onRanks(4, problem, () => ({ plugins: [localSgd({ period: 3 }), slowMo({ alpha: 1, beta: 0, baseBuffer: 'keep' })], optimizer }), (t) => t.fit(fit));
      for (let rank = 0; rank < 4; rank++) expect(slow[rank]!.parameters).toEqual(local[rank]!.parameters);
      expect(problem.objective(local[0]!.parameters)).toBeLessThan(problem.objective(problem.layout.allocate()));
    }
  });

  it('with β > 0 takes a different path, keeps ranks identical after each sync and still converges', async () => {
    const start = problem.objective(problem.layout.allocate()) - problem.optimalLoss;
    const local = await onRanks(4, problem, () => ({ plugins: [localSgd({ period: 4 })] }), (t) => t.fit({ epochs: 4 }));
    const slow = await onRanks(4, problem, () => ({ plugins: [localSgd({ period: 4 }), slowMo({ beta: 0.5 })] }), (t) => t.fit({ epochs: 4 }));
    expect(slow[0]!.parameters).not.toEqual(local[0]!.parameters);
    for (const o of slow) expect(o.parameters).toEqual(slow[0]!.parameters);
    expect(problem.objective(slow[0]!.parameters) - problem.optimalLoss).toBeLessThan(0.05 * start);
  });
});

describe('local SGD', () => {
  it('with τ = 1 equals per-step parameter averaging of plain SGD (a hand-written reference), and BSP', async () => {
    const lr = 0.05;
    const ranks = 4;
    const epochs = 2;
    const trained = await onRanks(ranks, problem, () => ({ plugins: [localSgd({ period: 1 })], lr, optimizer: sgd() }), (t) => t.fit({ epochs }));
    const viaBsp = await onRanks(ranks, problem, () => ({ plugins: [bsp()], lr, optimizer: sgd() }), (t) => t.fit({ epochs }));

    // Reference: every rank takes one SGD step from the common x on its own batch, then x is the mean.
    const models = Array.from({ length: ranks }, () => problem.createModel());
    const x = problem.layout.allocate();
    const grad = problem.layout.allocate();
    for (let epoch = 0; epoch < epochs; epoch++) {
      const iterators = models.map((_, rank) =>
        problem.dataset.trainBatches(epoch, { rank, size: ranks, batchSize: 8, seed: 0, shuffle: 'global', dropLast: true })[Symbol.iterator](),
      );
      for (let step = 0; step < 8; step++) {
        const sum = new Float64Array(x.length);
        for (let rank = 0; rank < ranks; rank++) {
          models[rank]!.writeParameters(x);
          await models[rank]!.computeGradients(iterators[rank]!.next().value!, grad);
          for (let i = 0; i < x.length; i++) sum[i]! += Math.fround(x[i]! - lr * grad[i]!);
        }
        for (let i = 0; i < x.length; i++) x[i] = sum[i]! / ranks;
      }
    }
    for (const o of trained) {
      o.parameters.forEach((v, i) => expect(v).toBeCloseTo(x[i]!, 5));
      expect(o.parameters).toEqual(trained[0]!.parameters);
    }
    viaBsp[0]!.parameters.forEach((v, i) => expect(v).toBeCloseTo(x[i]!, 5));
    expect(trained[0]!.result.syncCount).toBe(16);
  });
});

describe('base-buffer policies at a sync point', () => {
  const velocities = async (baseBuffer: 'reset' | 'average' | 'keep') => {
    const outcomes = await onRanks(
      2,
      problem,
      () => ({ plugins: [localSgd({ period: 4 }), slowMo({ beta: 0.3, baseBuffer })], optimizer: momentumSgd({ momentum: 0.9 }) }),
      async (t) => {
        await t.fit({ epochs: 1 }); // 8 steps: the last one syncs
        const path = join(dir, `${baseBuffer}-${t.rank}.ckpt`);
        await t.save(path);
        return (readCheckpoint(path).optimizer as { velocity: Float32Array }).velocity;
      },
    );
    return outcomes.map((o) => o.result);
  };

  it("'reset' zeroes the base optimizer's momentum, 'average' makes it equal on all ranks, 'keep' leaves it local", async () => {
    const reset = await velocities('reset');
    expect(reset.every((v) => v.every((x) => x === 0))).toBe(true);
    const averaged = await velocities('average');
    expect(averaged[0]).toEqual(averaged[1]);
    expect(averaged[0]!.some((x) => x !== 0)).toBe(true);
    const kept = await velocities('keep');
    expect(kept[0]).not.toEqual(kept[1]);
  });
});
