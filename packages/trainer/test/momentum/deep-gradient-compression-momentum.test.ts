/**
 * DGC's momentum correction and factor masking end to end on 4 simulated ranks with BSP: with
 * nothing dropped it is momentum SGD on the averaged gradient; with top-k and error feedback the
 * momentum of every element a rank just sent is zero (factor masking) and the loss still falls;
 * compositions without error feedback, or with momentumCorrection as well, are refused.
 */
import { CompositionError, type StateValue } from '@syncopate/core';
import { errorFeedback, identity, momentumCorrection, topK } from '@syncopate/compression';
import { deepGradientCompressionMomentum } from '@syncopate/momentum';
import { bsp } from '@syncopate/sync-policy';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { momentumSgd, readCheckpoint, sgd } from '../../src/index.js';
import { failureOf, onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';

const problem = smallProblem();
const gap = (x: Float32Array) => problem.objective(x) - problem.optimalLoss;
const dir = mkdtempSync(join(tmpdir(), 'syncopate-dgc-momentum-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('deepGradientCompressionMomentum on the synthetic problem', () => {
  it('with nothing dropped (identity) is BSP with momentum SGD', async () => {
    const corrected = await onRanks(
      4,
      problem,
      () => ({ plugins: [bsp(), identity(), errorFeedback(), deepGradientCompressionMomentum({ momentum: 0.7 })], optimizer: sgd() }),
      (t) => t.fit({ epochs: 3 }),
    );
    const heavyBall = await onRanks(4, problem, () => ({ plugins: [bsp()], optimizer: momentumSgd({ momentum: 0.7 }) }), (t) => t.fit({ epochs: 3 }));
    corrected[0]!.parameters.forEach((v, i) => expect(v).toBeCloseTo(heavyBall[0]!.parameters[i]!, 4));
  });

  it('with top-k and error feedback masks the momentum of every element a rank sent, and converges', async () => {
    const plugins = () => ({ plugins: [bsp(), topK({ ratio: 0.3 }), errorFeedback(), deepGradientCompressionMomentum({ momentum: 0.8 })], optimizer: sgd(), lr: 0.03 });
    const states = await onRanks(4, problem, plugins, async (t) => {
      const seen: { memory: Float32Array; velocity: Float32Array }[] = [];
      for (const stopAtStep of [3, 9, 20]) {
        await t.fit({ epochs: 3, stopAtStep });
        const path = join(dir, `dgc-${t.rank}-${stopAtStep}.ckpt`);
        await t.save(path);
        const plugins = readCheckpoint(path).plugins as Record<string, Record<string, StateValue>>;
        const memory = (plugins['error-feedback']!.memory as Record<string, Float32Array>)['gradient/bucket-0']!;
        seen.push({ memory, velocity: plugins.momentum!.velocity as Float32Array });
      }
      return seen;
    });
    for (const { result } of states) {
      for (const { memory, velocity } of result) {
        const sent = [...memory.keys()].filter((i) => memory[i] === 0);
        expect(sent.length).toBeGreaterThanOrEqual(3); // k = ⌈0.3 · 9⌉ elements leave the memory each step
        for (const i of sent) expect(velocity[i]).toBe(0);
        expect(velocity.some((u, i) => u !== 0 && memory[i] !== 0)).toBe(true); // delayed elements keep their momentum
      }
    }
    const finished = await onRanks(4, problem, plugins, (t) => t.fit({ epochs: 6 }));
    for (const o of finished) expect(o.parameters).toEqual(finished[0]!.parameters);
    expect(gap(finished[0]!.parameters)).toBeLessThan(0.02 * gap(problem.layout.allocate()));
  });

  it('is refused in createTrainer without error feedback, and beside momentumCorrection', async () => {
    const missing = await failureOf(onRanks(1, problem, () => ({ plugins: [topK(), deepGradientCompressionMomentum()] }), (t) => t.fit({ epochs: 1 })));
    expect(missing).toBeInstanceOf(CompositionError);
    expect(missing.message).toMatch(/^momentum 'deepGradientCompressionMomentum' needs a error-feedback with 'error-feedback:residual' .* but the composition has no error-feedback$/);
    const twice = await failureOf(
      onRanks(1, problem, () => ({ plugins: [topK(), momentumCorrection(), deepGradientCompressionMomentum()] }), (t) => t.fit({ epochs: 1 })),
    );
    expect(twice).toBeInstanceOf(CompositionError);
    expect((twice as CompositionError).plugins).toEqual(['deepGradientCompressionMomentum', 'momentumCorrection']);
  });
});
