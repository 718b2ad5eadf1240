/**
 * The example policy trains in a real composition: the trainer from @syncopate/trainer, 4 ranks
 * on the simulated network of @syncopate/transport-local, a least-squares problem with a known
 * optimum from @syncopate/data.
 */
import type { PluginSpec, StepEvent } from '@syncopate/core';
import { leastSquares } from '@syncopate/data';
import { slowMo } from '@syncopate/momentum';
import { createTrainer } from '@syncopate/trainer';
import { runSimulated } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { dynamicAveraging } from '../src/index.js';

const problem = leastSquares({ samples: 512, features: 8, noise: 0.1, seed: 3 });

async function train(threshold: number, outer: PluginSpec[] = []) {
  const { results } = await runSimulated(4, async (transport) => {
    const trainer = createTrainer({ transport, model: problem.createModel(), data: problem.dataset, batchSize: 8, lr: 0.05, plugins: [dynamicAveraging({ threshold }), ...outer] });
    const steps: StepEvent[] = [];
    trainer.metrics$.subscribe((e) => e.type === 'step' && steps.push(e));
    try {
      const result = await trainer.fit({ epochs: 4 });
      return { result, steps, parameters: trainer.parameters(), plugins: trainer.plugins };
    } finally {
      await trainer.dispose();
    }
  });
  return results;
}

describe('dynamicAveraging in a composition (4 simulated ranks, least squares)', () => {
  it('converges to the optimum, ends with every rank equal, and averages less often as the models settle', async () => {
    const ranks = await train(0.003);
    const [rank0] = ranks;
    expect(rank0!.plugins).toContain('sync-policy:dynamicAveraging');
    for (const r of ranks) expect(r.parameters).toEqual(rank0!.parameters);

    const initialGap = problem.objective(problem.layout.allocate()) - problem.optimalLoss;
    const finalGap = problem.objective(rank0!.parameters) - problem.optimalLoss;
    expect(finalGap).toBeLessThan(0.01 * initialGap);
    const losses = rank0!.steps.map((s) => s.loss);
    expect(losses.slice(-16).reduce((a, b) => a + b) / 16).toBeLessThan(0.1 * (losses.slice(0, 4).reduce((a, b) => a + b) / 4));

    // Fewer averagings than steps, and more of them early (large gradients) than late (near the optimum).
    const { steps: total, syncCount } = rank0!.result;
    expect(total).toBe(64);
    expect(syncCount).toBeGreaterThan(0);
    expect(syncCount).toBeLessThan(0.75 * total);
    const perEpoch = [0, 1, 2, 3].map((epoch) => rank0!.steps.filter((s) => s.epoch === epoch && s.synced).length);
    expect(perEpoch[0]).toBeGreaterThan(perEpoch[3]! + 4);
    for (const s of rank0!.steps) expect(s.traces.drift).toBeGreaterThanOrEqual(0);
  });

  it('a larger threshold averages less often', async () => {
    const [tight, loose] = await Promise.all([train(0.001), train(0.01)]);
    expect(loose[0]!.result.syncCount).toBeLessThan(tight[0]!.result.syncCount);
  });

  it('composes with SlowMo, which needs exact averages: alpha 1, beta 0 changes nothing; beta 0.5 moves the result and keeps ranks equal', async () => {
    const plain = await train(0.003);
    const identity = await train(0.003, [slowMo({ alpha: 1, beta: 0 })]);
    expect(identity[0]!.plugins).toContain('momentum:slowMo');
    identity.forEach((r, i) => expect(r.parameters).toEqual(plain[i]!.parameters));

    const withMomentum = await train(0.003, [slowMo({ alpha: 1, beta: 0.5 })]);
    for (const r of withMomentum) expect(r.parameters).toEqual(withMomentum[0]!.parameters);
    expect(withMomentum[0]!.parameters).not.toEqual(plain[0]!.parameters);
    const finalGap = problem.objective(withMomentum[0]!.parameters) - problem.optimalLoss;
    expect(finalGap).toBeLessThan(0.01 * (problem.objective(problem.layout.allocate()) - problem.optimalLoss));
  });
});
