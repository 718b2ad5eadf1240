/**
 * The autotuner (issue #8) on the simulated network: it measures the step time of a few BSP steps
 * per bucket size, on the virtual clock, and keeps the fastest. Deterministic: the simulated
 * network's times are the α-β model's, identical from run to run.
 */
import type { StepEvent } from '@syncopate/core';
import { leastSquares } from '@syncopate/data';
import { autotune, priority } from '@syncopate/scheduler';
import { bsp } from '@syncopate/sync-policy';
import { runSimulated } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { createTrainer } from '../../src/create-trainer.js';

// 1024 weights + 1 bias: 4100 bytes of gradient per step.
const problem = leastSquares({ samples: 1100, features: 1024, noise: 0.1, seed: 9 });

/** Mean step time (slowest rank, virtual ms) of 4 BSP steps on 4 ranks with partitions of `bucketBytes`. */
async function stepTime(bucketBytes: number, latencyMs: number): Promise<number> {
  const { results } = await runSimulated({ ranks: 4, latencyMs, bandwidthGbps: 0.1 }, async (transport) => {
    const trainer = createTrainer({ transport, model: problem.createModel(), data: problem.dataset, plugins: [bsp(), priority({ partitionBytes: bucketBytes })], batchSize: 8, evaluate: false });
    const totals: number[] = [];
    trainer.metrics$.subscribe((e) => e.type === 'step' && totals.push((e as StepEvent).timings.total));
    await trainer.fit({ epochs: 1, stopAtStep: 4 });
    await trainer.dispose();
    return totals.reduce((a, b) => a + b, 0) / totals.length;
  });
  return Math.max(...results);
}

describe('autotune on the simulated network', () => {
  it('picks the partition size with the lowest measured step time, the same on every run', async () => {
    const candidates = [64, 1024, 8192]; // 8192 B holds the whole model: one message per step
    const first = await autotune({ candidates, measure: (b) => stepTime(b, 0.5), trials: 1 });
    const again = await autotune({ candidates, measure: (b) => stepTime(b, 0.5), trials: 1 });
    expect(again).toEqual(first); // virtual clock: bit-for-bit reproducible
    expect(first.medians[candidates.indexOf(first.best)]).toBe(Math.min(...first.medians));
    // With 0.5 ms latency per message and no overlap to gain, fewer messages win: the whole model in one bucket.
    expect(first.best).toBe(8192);
    expect(first.medians[0]).toBeGreaterThan(first.medians[2]! * 2);
  });
});
