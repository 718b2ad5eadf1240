/**
 * Double averaging end to end on 4 simulated ranks: the parameters follow a hand-written
 * reference of Yu, Jin & Yang's algorithm (local momentum SGD; every τ steps average x and v);
 * with τ = 1 it is BSP with momentum; and it sends twice the bytes of local SGD at each sync.
 */
import type { StepEvent } from '@syncopate/core';
import { doubleAveraging } from '@syncopate/momentum';
import { bsp, localSgd } from '@syncopate/sync-policy';
import { describe, expect, it } from 'vitest';
import { momentumSgd } from '../../src/index.js';
import { onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';

const problem = smallProblem();
const ranks = 4;
const lr = 0.05;
const mu = 0.8;

/** Yu et al.'s algorithm written out: each rank vᵢ ← μvᵢ + gᵢ, xᵢ ← xᵢ − γvᵢ; every τ steps xᵢ, vᵢ ← their means. */
async function reference(period: number, epochs: number): Promise<Float32Array> {
  const models = Array.from({ length: ranks }, () => problem.createModel());
  const n = problem.layout.totalLength;
  const x = models.map(() => new Float32Array(n));
  const v = models.map(() => new Float32Array(n));
  const grad = new Float32Array(n);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const batches = models.map((_, rank) =>
      problem.dataset.trainBatches(epoch, { rank, size: ranks, batchSize: 8, seed: 0, shuffle: 'global', dropLast: true })[Symbol.iterator](),
    );
    for (let b = 0; b < 8; b++, step++) {
      for (let rank = 0; rank < ranks; rank++) {
        models[rank]!.writeParameters(x[rank]!);
        await models[rank]!.computeGradients(batches[rank]!.next().value!, grad);
        for (let i = 0; i < n; i++) {
          v[rank]![i] = mu * v[rank]![i]! + grad[i]!;
          x[rank]![i] = x[rank]![i]! - lr * v[rank]![i]!;
        }
      }
      if ((step + 1) % period === 0) {
        for (const buffers of [x, v]) {
          for (let i = 0; i < n; i++) {
            const mean = buffers.reduce((sum, buffer) => sum + buffer[i]!, 0) / ranks;
            for (const buffer of buffers) buffer[i] = mean;
          }
        }
      }
    }
  }
  // The policy's finish: one last average of the parameters if local steps were taken since the last sync.
  if (step % period !== 0) {
    for (let i = 0; i < n; i++) x[0]![i] = x.reduce((sum, buffer) => sum + buffer[i]!, 0) / ranks;
  }
  return x[0]!;
}

describe('doubleAveraging on the synthetic problem', () => {
  it("follows Yu et al.'s local momentum SGD with parameters and momentum averaged every τ steps", async () => {
    const trained = await onRanks(ranks, problem, () => ({ plugins: [localSgd({ period: 3 }), doubleAveraging()], optimizer: momentumSgd({ momentum: mu }), lr }), (t) =>
      t.fit({ epochs: 2 }),
    );
    const expected = await reference(3, 2);
    for (const o of trained) o.parameters.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
    const withoutMomentumAveraging = await onRanks(ranks, problem, () => ({ plugins: [localSgd({ period: 3 })], optimizer: momentumSgd({ momentum: mu }), lr }), (t) =>
      t.fit({ epochs: 2 }),
    );
    expect(Math.max(...withoutMomentumAveraging[0]!.parameters.map((value, i) => Math.abs(value - expected[i]!)))).toBeGreaterThan(1e-3);
  });

  it('with τ = 1 is BSP with momentum SGD', async () => {
    const averaged = await onRanks(ranks, problem, () => ({ plugins: [localSgd({ period: 1 }), doubleAveraging()], optimizer: momentumSgd({ momentum: mu }), lr }), (t) =>
      t.fit({ epochs: 2 }),
    );
    const synchronous = await onRanks(ranks, problem, () => ({ plugins: [bsp()], optimizer: momentumSgd({ momentum: mu }), lr }), (t) => t.fit({ epochs: 2 }));
    averaged[0]!.parameters.forEach((value, i) => expect(value).toBeCloseTo(synchronous[0]!.parameters[i]!, 5));
  });

  it('sends twice the bytes of local SGD at each sync (one more exchange for the momentum buffer)', async () => {
    const syncBytes = async (plugins: Parameters<typeof onRanks>[2]) => {
      const [rank0] = await onRanks(ranks, problem, plugins, (t) => t.fit({ epochs: 1 }));
      return (rank0!.events as StepEvent[]).filter((e) => e.type === 'step' && e.synced).map((e) => e.bytesSent);
    };
    const local = await syncBytes(() => ({ plugins: [localSgd({ period: 4 })], optimizer: momentumSgd() }));
    const double = await syncBytes(() => ({ plugins: [localSgd({ period: 4 }), doubleAveraging()], optimizer: momentumSgd() }));
    expect(local.length).toBe(2);
    expect(double).toEqual(local.map((bytes) => 2 * bytes));
  });
});
