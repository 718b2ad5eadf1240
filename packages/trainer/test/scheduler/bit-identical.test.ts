/**
 * Acceptance of issue #8: BSP on 4 ranks gives bit-identical parameters with and without fusion
 * and priority scheduling. Bucketing changes how many messages carry the gradient and in which
 * order, never which numbers are added together nor in which order.
 *
 * Recursive doubling and the binary tree pair elements by rank, whatever their place in the
 * message. A ring sums block b of a message starting after rank b, so an element's sum order
 * depends on its block; the exchange therefore passes each bucket's offset in the layout
 * (`elementOffset`) and the ring (ours, and the local transport's native one) chooses blocks by
 * the element's global position when the trainer option `deterministicReduction` is on (off by
 * default: it costs a packing copy per allreduce). The problem has 1 101 parameters, so the 16-element grid that
 * assigns blocks spreads them over all four ranks and buckets straddle its chunks.
 */
import type { PluginSpec } from '@syncopate/core';
import { binaryTreeAllreduce, hierarchicalAllreduce, nativeCollective, recursiveDoublingAllreduce, ringAllreduce } from '@syncopate/collectives';
import { leastSquares } from '@syncopate/data';
import { fusion, priority, singleBucket } from '@syncopate/scheduler';
import { bsp } from '@syncopate/sync-policy';
import { describe, expect, it } from 'vitest';
import { onRanks } from '../../src/test-support/simulated-ranks.js';

// 1 100 weights + 1 bias; 4 ranks × 35 batches of 8, one epoch.
const problem = leastSquares({ samples: 1120, features: 1100, noise: 0.1, seed: 11 });
const schedulers = (): PluginSpec[] => [
  fusion({ bucketBytes: 1000 }),
  fusion({ bucketBytes: 2052, order: 'forward' }),
  priority({ partitionBytes: 1500 }),
  priority({ partitionBytes: 4 * 97 }),
];
const collectives: Record<string, () => PluginSpec> = {
  'native (local transport ring)': () => nativeCollective(),
  ring: () => ringAllreduce(),
  'recursive doubling': () => recursiveDoublingAllreduce(),
  'binary tree': () => binaryTreeAllreduce(),
  'hierarchical (2 × 2, ring between leaders)': () => hierarchicalAllreduce({ localSize: 2, inter: 'ring' }),
  'hierarchical (1 × 4, ring between leaders)': () => hierarchicalAllreduce({ localSize: 1, inter: 'ring' }),
};

async function trainWith(collective: PluginSpec, scheduler: PluginSpec, deterministicReduction = true): Promise<Float32Array[]> {
  const outcomes = await onRanks(4, problem, () => ({ plugins: [bsp(), collective, scheduler], evaluate: false, lr: 0.001, deterministicReduction }), (trainer) => trainer.fit({ epochs: 1 }));
  return outcomes.map((o) => o.parameters);
}

const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

describe('BSP with fusion and priority scheduling (4 simulated ranks)', () => {
  for (const [name, collective] of Object.entries(collectives)) {
    it(`ends with bit-identical parameters on every rank, whatever the bucketing (${name})`, async () => {
      const reference = await trainWith(collective(), singleBucket());
      expect(bits(reference[0]!)).not.toBe(bits(problem.createModel().layout.allocate())); // training moved them
      for (const scheduler of schedulers()) {
        const parameters = await trainWith(collective(), scheduler);
        for (const [rank, p] of parameters.entries()) expect(bits(p), `${scheduler.name} ${JSON.stringify(scheduler.options)} rank ${rank}`).toBe(bits(reference[0]!));
      }
    });
  }

  it('without deterministicReduction the ring sums by position in the message, so some bucketing changes the bits', async () => {
    const reference = await trainWith(ringAllreduce(), singleBucket(), false);
    const differs = [];
    for (const scheduler of schedulers()) differs.push(bits((await trainWith(ringAllreduce(), scheduler, false))[0]!) !== bits(reference[0]!));
    expect(differs).toContain(true);
  });
});
