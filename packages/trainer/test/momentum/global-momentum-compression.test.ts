/**
 * Global momentum compression end to end on 4 simulated ranks with BSP: with nothing dropped it is
 * heavy-ball momentum SGD on the averaged gradient, also across a learning-rate decay; with top-k
 * and error feedback every rank stays identical and the loss falls; without error feedback it is
 * refused in createTrainer.
 */
import { CompositionError } from '@syncopate/core';
import { errorFeedback, identity, topK } from '@syncopate/compression';
import { globalMomentumCompression } from '@syncopate/momentum';
import { bsp } from '@syncopate/sync-policy';
import { describe, expect, it } from 'vitest';
import { momentumSgd, sgd, stepDecay } from '../../src/index.js';
import { failureOf, onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';

const problem = smallProblem();
const gap = (x: Float32Array) => problem.objective(x) - problem.optimalLoss;

describe('globalMomentumCompression on the synthetic problem', () => {
  it('with nothing dropped is heavy-ball momentum on the averaged gradient, through a learning-rate decay', async () => {
    const schedules = [stepDecay({ boundaries: [1, 2], factor: 0.5 })];
    const global = await onRanks(
      4,
      problem,
      () => ({ plugins: [bsp(), identity(), errorFeedback(), globalMomentumCompression({ momentum: 0.6 })], optimizer: sgd(), schedules }),
      (t) => t.fit({ epochs: 3 }),
    );
    const heavyBall = await onRanks(4, problem, () => ({ plugins: [bsp()], optimizer: momentumSgd({ momentum: 0.6 }), schedules }), (t) => t.fit({ epochs: 3 }));
    global[0]!.parameters.forEach((v, i) => expect(v).toBeCloseTo(heavyBall[0]!.parameters[i]!, 4));
  });

  it('with top-k and error feedback keeps the ranks identical and converges', async () => {
    const outcomes = await onRanks(
      4,
      problem,
      () => ({ plugins: [bsp(), topK({ ratio: 0.3 }), errorFeedback(), globalMomentumCompression({ momentum: 0.8 })], optimizer: sgd(), lr: 0.03 }),
      (t) => t.fit({ epochs: 6 }),
    );
    for (const o of outcomes) expect(o.parameters).toEqual(outcomes[0]!.parameters);
    expect(gap(outcomes[0]!.parameters)).toBeLessThan(0.02 * gap(problem.layout.allocate()));
  });

  it('is refused in createTrainer without error feedback', async () => {
    const error = await failureOf(onRanks(1, problem, () => ({ plugins: [topK(), globalMomentumCompression()] }), (t) => t.fit({ epochs: 1 })));
    expect(error).toBeInstanceOf(CompositionError);
    expect((error as CompositionError).plugins).toEqual(['globalMomentumCompression']);
  });
});
