/**
 * Lookahead end to end on the synthetic least-squares problem: α = 1 is its base optimizer (bit
 * for bit, for SGD, momentum and Adam); on one rank it is SlowMo with β = 0 over k-step local SGD
 * (the SlowMo paper's special case); with BSP every rank stays identical and the loss falls.
 */
import { lookahead, slowMo } from '@syncopate/momentum';
import { bsp, localSgd } from '@syncopate/sync-policy';
import { describe, expect, it } from 'vitest';
import { adam, momentumSgd, sgd } from '../../src/index.js';
import { onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';

const problem = smallProblem();
const gap = (x: Float32Array) => problem.objective(x) - problem.optimalLoss;

describe('lookahead on the synthetic problem', () => {
  it('with α = 1 equals its base optimizer, bit for bit on every rank', async () => {
    for (const optimizer of [sgd(), momentumSgd({ momentum: 0.9 }), adam({ beta1: 0.9 })]) {
      const base = await onRanks(2, problem, () => ({ plugins: [bsp()], optimizer }), (t) => t.fit({ epochs: 2 }));
      const wrapped = await onRanks(2, problem, () => ({ plugins: [bsp(), lookahead({ alpha: 1, steps: 3 })], optimizer }), (t) => t.fit({ epochs: 2 }));
      for (let rank = 0; rank < 2; rank++) expect(wrapped[rank]!.parameters).toEqual(base[rank]!.parameters);
    }
  });

  it('on one rank is SlowMo with β = 0 and slow learning rate α over k local steps', async () => {
    const viaLookahead = await onRanks(1, problem, () => ({ plugins: [bsp(), lookahead({ alpha: 0.4, steps: 4 })], optimizer: momentumSgd() }), (t) =>
      t.fit({ epochs: 1 }),
    );
    const viaSlowMo = await onRanks(
      1,
      problem,
      () => ({ plugins: [localSgd({ period: 4 }), slowMo({ alpha: 0.4, beta: 0, baseBuffer: 'keep' })], optimizer: momentumSgd() }),
      (t) => t.fit({ epochs: 1 }),
    );
    viaLookahead[0]!.parameters.forEach((v, i) => expect(v).toBeCloseTo(viaSlowMo[0]!.parameters[i]!, 5));
    const plain = await onRanks(1, problem, () => ({ optimizer: momentumSgd() }), (t) => t.fit({ epochs: 1 }));
    expect(viaLookahead[0]!.parameters).not.toEqual(plain[0]!.parameters);
  });

  it('with BSP keeps every rank identical and converges', async () => {
    const start = gap(problem.layout.allocate());
    const outcomes = await onRanks(4, problem, () => ({ plugins: [bsp(), lookahead()], optimizer: momentumSgd({ momentum: 0.9 }) }), (t) => t.fit({ epochs: 6 }));
    for (const o of outcomes) expect(o.parameters).toEqual(outcomes[0]!.parameters);
    expect(gap(outcomes[0]!.parameters)).toBeLessThan(0.01 * start);
  });
});
