import { CompositionError, Topology, type Neighbourhood, type PluginSpec, type Registrar } from '@syncopate/core';
import { pushSum } from '@syncopate/collectives';
import { stochasticGradientPush } from '@syncopate/sync-policy';
import { onePeerExponentialGraph } from '@syncopate/topology';
import { describe, expect, it } from 'vitest';
import { failureOf, onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';
import { onNetwork, stepEvents, type ComputeRecord } from './support.js';

const problem = smallProblem();
const lr = 0.2;

/** A directed graph whose ranks have different out-degrees: 0 → 1, 2; 1 → 2; 2 → 3; 3 → 0 (push-sum weights). */
const out = [[1, 2], [2], [3], [0]];
const lopsided: PluginSpec = Object.freeze({
  kind: 'topology' as const,
  name: 'lopsidedDirected',
  options: Object.freeze({}),
  register(registrar: Registrar) {
    const weight = (r: number) => 1 / (out[r]!.length + 1);
    const topology: Topology = {
      name: 'lopsidedDirected',
      size: 4,
      timeVarying: false,
      servers: [],
      groups: [[0, 1, 2, 3]],
      neighbourhood: (rank): Neighbourhood => ({
        self: weight(rank),
        send: out[rank]!.map((peer) => ({ peer, weight: weight(rank) })),
        receive: out.flatMap((peers, j) => (peers.includes(rank) ? [{ peer: j, weight: weight(j) }] : [])),
      }),
    };
    registrar.register(Topology, { useValue: topology });
  },
});

describe('stochasticGradientPush on the synthetic least-squares problem', () => {
  it("on SGP's one-peer exponential graph keeps the push-sum weights at 1 and converges near the optimum", async () => {
    const outcomes = await onRanks(4, problem, () => ({ plugins: [onePeerExponentialGraph(), pushSum(), stochasticGradientPush()], lr }), (t) => t.fit({ epochs: 4 }));
    for (const o of outcomes) {
      expect(stepEvents(o.events).every((e) => e.traces.pushSumWeight === 1)).toBe(true);
      expect(o.parameters).toEqual(outcomes[0]!.parameters);
    }
    const start = problem.objective(problem.layout.allocate()) - problem.optimalLoss;
    expect(problem.objective(outcomes[0]!.parameters) - problem.optimalLoss).toBeLessThan(0.02 * start);
  });

  it('on a lopsided directed graph conserves Σ wᵢ·zᵢ up to the updates while the de-biased zᵢ reach consensus', async () => {
    const records: ComputeRecord[] = [];
    const { outcomes } = await onNetwork(
      { network: { ranks: 4 }, onCompute: (r) => records.push(r) },
      problem,
      () => ({ plugins: [lopsided, pushSum(), stochasticGradientPush({ finalAverage: false })], lr }),
      (t) => t.fit({ epochs: 4 }),
    );
    const weights = outcomes.map((o) => [1, ...stepEvents(o.events).map((e) => e.traces.pushSumWeight!)]);
    const at = (rank: number, step: number) => records.find((r) => r.rank === rank && r.step === step)!;
    const n = problem.layout.totalLength;
    for (let k = 0; k + 1 < 32; k++) {
      for (let i = 0; i < n; i++) {
        const mass = (step: number) => [0, 1, 2, 3].reduce((s, r) => s + weights[r]![step]! * at(r, step).parameters[i]!, 0);
        const update = [0, 1, 2, 3].reduce((s, r) => s - lr * at(r, k).gradients[i]!, 0);
        expect(mass(k + 1)).toBeCloseTo(mass(k) + update, 4);
      }
    }
    expect(new Set(weights.map((w) => w.at(-1)!.toFixed(3))).size).toBeGreaterThan(1); // de-biasing matters here
    const spread = Math.max(...outcomes.map((o) => Math.max(...[...o.parameters].map((v, i) => Math.abs(v - outcomes[0]!.parameters[i]!)))));
    expect(spread).toBeLessThan(0.05);
    const start = problem.objective(problem.layout.allocate()) - problem.optimalLoss;
    for (const o of outcomes) expect(problem.objective(o.parameters) - problem.optimalLoss).toBeLessThan(0.05 * start);
  });

  it('is refused, naming both plugins, without a push-sum collective', async () => {
    const error = await failureOf(onRanks(2, problem, () => ({ plugins: [stochasticGradientPush()] }), (t) => t.fit({ epochs: 1 })));
    expect(error).toBeInstanceOf(CompositionError);
    expect(error.message).toMatch(/sync-policy 'stochasticGradientPush' needs a collective with 'collective:push-sum'.*'nativeCollective'/);
  });
});
