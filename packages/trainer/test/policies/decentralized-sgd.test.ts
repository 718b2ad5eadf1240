import { CompositionError } from '@syncopate/core';
import { neighbourAverage } from '@syncopate/collectives';
import { decentralizedSgd } from '@syncopate/sync-policy';
import { ring } from '@syncopate/topology';
import { describe, expect, it } from 'vitest';
import { failureOf, onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';
import { onNetwork, type ComputeRecord } from './support.js';

const problem = smallProblem();
const lr = 0.2;

describe('decentralizedSgd on the synthetic least-squares problem', () => {
  it("preserves the mean over ranks — it moves by exactly −γ·(mean gradient) — and follows x_{k+1,i} = Σ_j W_ij x_{k,j} − γ·g_{k,i}", async () => {
    const records: ComputeRecord[] = [];
    const ranks = 4;
    const { outcomes } = await onNetwork(
      { network: { ranks }, onCompute: (r) => records.push(r) },
      problem,
      () => ({ plugins: [ring(), neighbourAverage(), decentralizedSgd()], lr }),
      (t) => t.fit({ epochs: 2 }),
    );
    const at = (rank: number, step: number) => records.find((r) => r.rank === rank && r.step === step)!;
    const topology = ring().build(ranks);
    const n = problem.layout.totalLength;
    let apart = 0;
    for (let k = 0; k + 1 < 16; k++) {
      const meanOf = (pick: (r: ComputeRecord) => Float32Array, step: number) =>
        Array.from({ length: n }, (_, i) => [0, 1, 2, 3].reduce((s, rank) => s + pick(at(rank, step))[i]!, 0) / ranks);
      const before = meanOf((r) => r.parameters, k);
      const after = meanOf((r) => r.parameters, k + 1);
      const gradient = meanOf((r) => r.gradients, k);
      after.forEach((v, i) => expect(v).toBeCloseTo(before[i]! - lr * gradient[i]!, 5));
      for (let rank = 0; rank < ranks; rank++) {
        const hood = topology.neighbourhood(rank, k);
        const x = at(rank, k);
        const expected = Array.from({ length: n }, (_, i) => hood.self * x.parameters[i]! + hood.receive.reduce((s, e) => s + e.weight * at(e.peer, k).parameters[i]!, 0) - lr * x.gradients[i]!);
        [...at(rank, k + 1).parameters].forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
      }
      apart = Math.max(apart, Math.abs(at(0, k + 1).parameters[0]! - at(2, k + 1).parameters[0]!));
    }
    expect(apart).toBeGreaterThan(1e-4); // the ranks really differ between steps: the property is not trivial
    for (const o of outcomes) expect(o.parameters).toEqual(outcomes[0]!.parameters); // the final exact average
    const start = problem.objective(problem.layout.allocate()) - problem.optimalLoss;
    expect(problem.objective(outcomes[0]!.parameters) - problem.optimalLoss).toBeLessThan(0.05 * start);
  });

  it('is refused, naming both plugins, without a collective that averages with neighbours', async () => {
    const error = await failureOf(onRanks(2, problem, () => ({ plugins: [decentralizedSgd()] }), (t) => t.fit({ epochs: 1 })));
    expect(error).toBeInstanceOf(CompositionError);
    expect(error.message).toMatch(/sync-policy 'decentralizedSgd' needs a collective with 'collective:neighbour-average'.*collective 'nativeCollective' \(the default\) does not provide it/);
  });
});
