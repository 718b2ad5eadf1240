/**
 * Acceptance of issue #8: BSP on 4 ranks gives bit-identical parameters with and without fusion
 * and priority scheduling. Bucketing changes how many messages carry the gradient and in which
 * order, never which numbers are added together.
 *
 * Bit-identity across bucketings also needs a collective that adds each element's contributions
 * in an order that does not depend on where the element sits inside the message: recursive
 * doubling and the binary tree do (element-wise pairings by rank). The ring does not: a ring
 * reduces block b of a message starting at rank b + 1, so moving an element to another block
 * (which re-bucketing does) re-associates its four-term sum. With the ring every rank still ends
 * bit-identical to the others, and the runs differ by float rounding only (checked below).
 */
import type { PluginSpec } from '@syncopate/core';
import { binaryTreeAllreduce, recursiveDoublingAllreduce, ringAllreduce } from '@syncopate/collectives';
import { leastSquares } from '@syncopate/data';
import { fusion, priority, singleBucket } from '@syncopate/scheduler';
import { bsp } from '@syncopate/sync-policy';
import { describe, expect, it } from 'vitest';
import { onRanks } from '../../src/test-support/simulated-ranks.js';

// 64 weights + 1 bias = 65 parameters; 4 ranks × 4 batches of 8 per epoch.
const problem = leastSquares({ samples: 128, features: 64, noise: 0.1, seed: 11 });
const schedulers = (): PluginSpec[] => [fusion({ bucketBytes: 40 }), fusion({ bucketBytes: 100, order: 'forward' }), priority({ partitionBytes: 24 }), priority({ partitionBytes: 4 })];

async function trainWith(collective: PluginSpec, scheduler: PluginSpec): Promise<Float32Array[]> {
  const outcomes = await onRanks(4, problem, () => ({ plugins: [bsp(), collective, scheduler], evaluate: false, lr: 0.02 }), (trainer) => trainer.fit({ epochs: 2 }));
  return outcomes.map((o) => o.parameters);
}

const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

describe('BSP with fusion and priority scheduling (4 simulated ranks)', () => {
  for (const collective of [recursiveDoublingAllreduce, binaryTreeAllreduce]) {
    it(`ends with bit-identical parameters on every rank, whatever the bucketing (${collective.name})`, async () => {
      const reference = await trainWith(collective(), singleBucket());
      expect(bits(reference[0]!)).not.toBe(bits(problem.createModel().layout.allocate())); // training moved them
      for (const scheduler of schedulers()) {
        const parameters = await trainWith(collective(), scheduler);
        for (const [rank, p] of parameters.entries()) expect(bits(p), `${scheduler.name} ${JSON.stringify(scheduler.options)} rank ${rank}`).toBe(bits(reference[0]!));
      }
    });
  }

  it('with the ring: bit-identical across ranks, and within float rounding of the unbucketed run', async () => {
    const reference = (await trainWith(ringAllreduce(), singleBucket()))[0]!;
    for (const scheduler of schedulers()) {
      const parameters = await trainWith(ringAllreduce(), scheduler);
      for (const p of parameters) expect(bits(p)).toBe(bits(parameters[0]!));
      for (let i = 0; i < reference.length; i++) expect(Math.abs(parameters[0]![i]! - reference[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(reference[i]!)));
    }
  });
});
