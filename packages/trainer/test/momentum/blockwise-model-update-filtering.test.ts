/**
 * BMUF end to end on the synthetic least-squares problem, 4 simulated ranks: its defining
 * reductions (η = 0, ζ = 1 is local SGD; classical BMUF is SlowMo at a constant learning rate) and
 * its purpose: block momentum η = 1 − 1/m makes up for averaging m models, so at a small learning
 * rate it gets further than local SGD in the same number of steps, Nesterov or not.
 */
import { blockwiseModelUpdateFiltering, slowMo } from '@syncopate/momentum';
import type { PluginSpec } from '@syncopate/core';
import { localSgd } from '@syncopate/sync-policy';
import { describe, expect, it } from 'vitest';
import { momentumSgd, sgd } from '../../src/index.js';
import { onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';

const problem = smallProblem();
const gap = (x: Float32Array) => problem.objective(x) - problem.optimalLoss;

describe('blockwiseModelUpdateFiltering on the synthetic problem', () => {
  it('with block momentum 0 and block learning rate 1 equals local SGD, bit for bit on every rank', async () => {
    for (const optimizer of [sgd(), momentumSgd({ momentum: 0.9 })]) {
      const local = await onRanks(4, problem, () => ({ plugins: [localSgd({ period: 3 })], optimizer }), (t) => t.fit({ epochs: 3 }));
      for (const nesterov of [false, true]) {
        const bmuf = blockwiseModelUpdateFiltering({ blockMomentum: 0, blockLr: 1, nesterov, baseBuffer: 'keep' });
        const filtered = await onRanks(4, problem, () => ({ plugins: [localSgd({ period: 3 }), bmuf], optimizer }), (t) => t.fit({ epochs: 3 }));
        for (let rank = 0; rank < 4; rank++) expect(filtered[rank]!.parameters).toEqual(local[rank]!.parameters);
      }
      expect(gap(local[0]!.parameters)).toBeLessThan(0.1 * gap(problem.layout.allocate()));
    }
  });

  it('classical block momentum η with block learning rate ζ follows SlowMo with β = η, α = ζ', async () => {
    const run = (momentum: PluginSpec) =>
      onRanks(4, problem, () => ({ plugins: [localSgd({ period: 4 }), momentum], optimizer: sgd(), lr: 0.03 }), (t) => t.fit({ epochs: 3 }));
    const bmuf = await run(blockwiseModelUpdateFiltering({ blockMomentum: 0.6, blockLr: 0.8, nesterov: false }));
    const slow = await run(slowMo({ beta: 0.6, alpha: 0.8 }));
    bmuf[0]!.parameters.forEach((v, i) => expect(v).toBeCloseTo(slow[0]!.parameters[i]!, 4));
    const local = await onRanks(4, problem, () => ({ plugins: [localSgd({ period: 4 })], optimizer: sgd(), lr: 0.03 }), (t) => t.fit({ epochs: 3 }));
    expect(bmuf[0]!.parameters).not.toEqual(local[0]!.parameters);
  });

  it('with the paper defaults (η = 1 − 1/m, reset) gets further than local SGD in the same steps at a small learning rate, ranks identical', async () => {
    const run = (momentum: PluginSpec[]) =>
      onRanks(4, problem, () => ({ plugins: [localSgd({ period: 4 }), ...momentum], optimizer: momentumSgd({ momentum: 0.5 }), lr: 0.01 }), (t) => t.fit({ epochs: 6 }));
    const local = gap((await run([]))[0]!.parameters);
    for (const nesterov of [true, false]) {
      const outcomes = await run([blockwiseModelUpdateFiltering({ nesterov })]);
      for (const o of outcomes) expect(o.parameters).toEqual(outcomes[0]!.parameters);
      expect(gap(outcomes[0]!.parameters)).toBeLessThan(0.5 * local);
    }
  });
});
