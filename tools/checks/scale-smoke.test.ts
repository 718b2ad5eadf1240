/**
 * CI smoke of the scale benchmark (tools/bench/scale, issue #9): a tiny extrapolation, 4 and 16
 * ranks of the simulated α-β network, a few steps of the seed reproductions' compositions, with the
 * MLP-shaped proxy model (no tfjs). It checks what defines the model, not figures: full SGD's
 * communication per step grows with the ranks as the ring's α-β cost says, local SGD with period 8
 * communicates an eighth of it, runs are deterministic, and bad input is refused by name.
 *
 * What the model charges, measured and pinned here: local SGD's parameter average costs the ring's
 * 2(n − 1)·α + 2(n − 1)/n · M/B (transport-local's ring allreduce, exact to the formula); full
 * SGD's gradient average through the trainer's exchange costs 2(n − 1)·α more (4(n − 1)·α in all)
 * for the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { arrayDataset } from '@syncopate/data';
import { ringAllreduceMs, fitRingAlphaBeta } from '../bench/scale/lib/alpha-beta.mjs';
import { trainConfig } from '../bench/scale/lib/compositions.mjs';
import { mlpLayout } from '../bench/scale/lib/proxy-model.mjs';
import { simulateSchedule } from '../bench/scale/lib/simulate.mjs';

const EXAMPLES = 2048;
const dataset = arrayDataset({
  name: 'scale-smoke',
  inputShape: [784],
  numClasses: 10,
  train: { count: EXAMPLES, inputs: new Float32Array(EXAMPLES * 784), labels: new Int32Array(EXAMPLES) },
});
const M = mlpLayout([256]).totalLength * 4; // bytes of the float32 gradient
const GIGABIT = { name: '1gbit', latencyMs: 0.05, bandwidthGbps: 1 };
const COMPUTE_MS = 5;

function schedule(name: string, ranks: number, network = GIGABIT, extra: Record<string, unknown> = {}) {
  return simulateSchedule({ name, ranks, network, computeMs: COMPUTE_MS, dataset, ...extra });
}

/** Full SGD's modelled gradient average per step: the ring's cost plus 2(n − 1)·α. */
function expectedBspMs(ranks: number, latencyMs: number, bandwidthGbps: number): number {
  return 2 * (ranks - 1) * latencyMs + ringAllreduceMs(M, ranks, latencyMs, bandwidthGbps * 125_000);
}

describe('scale by simulation: the α-β model of the seed reproductions', () => {
  it('full SGD communication per step grows with the ranks as the ring α-β cost (within 1 %)', async () => {
    for (const ranks of [4, 16]) {
      const row = await schedule('bsp', ranks);
      const expected = expectedBspMs(ranks, GIGABIT.latencyMs, GIGABIT.bandwidthGbps);
      expect(Math.abs(row.communicationMsPerStep - expected) / expected).toBeLessThan(0.01);
      // Every step averages the gradient; the ring sends 2(n − 1)/n · M bytes per rank.
      expect(row.syncsInWindow).toBe(row.windowSteps);
      expect(row.bytesPerRankPerStep / ((2 * (ranks - 1) * M) / ranks)).toBeCloseTo(1, 2);
    }
  });

  it('the latency and bandwidth terms scale separately: 10× α costs 10× the latency term, a tenth of B 10× the bandwidth term', async () => {
    const ranks = 4;
    const base = await schedule('bsp', ranks, { name: 'a', latencyMs: 0.1, bandwidthGbps: 1 });
    const slowLatency = await schedule('bsp', ranks, { name: 'b', latencyMs: 1, bandwidthGbps: 1 });
    const slowLink = await schedule('bsp', ranks, { name: 'c', latencyMs: 0.1, bandwidthGbps: 0.1 });
    const latencyTerm = 4 * (ranks - 1) * 0.1;
    expect(slowLatency.communicationMsPerStep - base.communicationMsPerStep).toBeCloseTo(9 * latencyTerm, 3);
    expect((slowLink.communicationMsPerStep - latencyTerm) / (base.communicationMsPerStep - latencyTerm)).toBeCloseTo(10, 2);
  });

  it('local SGD with period 8 sends an eighth of full SGD’s bytes and pays one ring allreduce per 8 steps', async () => {
    for (const ranks of [4, 8]) {
      const bsp = await schedule('bsp', ranks);
      const local = await schedule('localSgd', ranks);
      expect(local.syncsInWindow).toBe(local.windowSteps / 8);
      expect(local.bytesPerRankPerStep / bsp.bytesPerRankPerStep).toBeCloseTo(1 / 8, 4);
      const ring = ringAllreduceMs(M, ranks, GIGABIT.latencyMs, GIGABIT.bandwidthGbps * 125_000);
      expect(Math.abs(local.communicationMsPerStep - ring / 8) / (ring / 8)).toBeLessThan(0.01);
      expect(local.communicationMsPerStep / bsp.communicationMsPerStep).toBeLessThan(1 / 8);
      // Same compute, less waiting: a shorter epoch, and the speedup the table reports.
      expect(bsp.epochMs / local.epochMs).toBeGreaterThan(1);
      expect(local.epochMs).toBeCloseTo((COMPUTE_MS + local.communicationMsPerStep) * local.stepsPerEpoch, 6);
    }
  });

  it('is deterministic: two runs give the same times and bytes, even for HPSGD, whose schedule follows the clock', async () => {
    for (const name of ['hpsgd']) {
      const first = await schedule(name, 4);
      const second = await schedule(name, 4);
      expect(second).toEqual(first);
    }
  });

  it('fits α and β back from allreduce times the formula made', () => {
    const ranks = 4;
    const samples = [4096, 65_536, 814_120, 2e6].map((bytes) => ({ bytes, ms: ringAllreduceMs(bytes, ranks, 0.2, 100_000) }));
    const fit = fitRingAlphaBeta(samples, ranks);
    expect(fit.latencyMs).toBeCloseTo(0.2, 9);
    expect(fit.bytesPerMs).toBeCloseTo(100_000, 3);
    expect(() => fitRingAlphaBeta(samples.slice(0, 1), ranks)).toThrow(/at least two sizes/);
  });

  it('refuses an unknown composition by name', async () => {
    expect(() => trainConfig('fullSgd', 4)).toThrow(/unknown composition 'fullSgd'; known: bsp, localSgd/);
    await expect(schedule('fullSgd', 4)).rejects.toThrow(/unknown composition 'fullSgd'/);
  });
});
