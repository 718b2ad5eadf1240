/**
 * Acceptance: the simulated native allreduce is a ring over the modelled links, so an allreduce of
 * M bytes on n ranks takes 2(n − 1)α + 2(n − 1)/n · M/B of virtual time (Patarasuk & Yuan 2009).
 */
import { describe, expect, it } from 'vitest';
import { runSimulated } from './simulated-network.js';

const ALPHA_MS = 0.05; // 50 µs
const BYTES_PER_MS = 125_000; // 1 Gbit/s

function ringModelMs(n: number, bytes: number, alphaMs: number, bytesPerMs: number): number {
  return 2 * (n - 1) * alphaMs + ((2 * (n - 1)) / n) * (bytes / bytesPerMs);
}

async function timedAllreduce(n: number, floats: number, alphaMs = ALPHA_MS, bytesPerMs = BYTES_PER_MS) {
  return runSimulated({ ranks: n, latencyMs: alphaMs, bytesPerMs }, async (t) => {
    const x = new Float32Array(floats).fill(t.rank + 1);
    await t.collectives.allreduce!(x, 'sum');
    return [x[0], x[floats - 1]];
  });
}

describe('simulated ring allreduce time', () => {
  const cases: Array<[number, number]> = [];
  for (const n of [2, 3, 5, 8, 13]) for (const floats of [16, 16_384, 262_144]) cases.push([n, floats]);

  it.each(cases)('%i ranks, %i float32: modelled time within 1 percent of 2(n−1)α + 2(n−1)/n·M/B', async (n, floats) => {
    const { timeMs, results } = await timedAllreduce(n, floats);
    const model = ringModelMs(n, floats * 4, ALPHA_MS, BYTES_PER_MS);
    expect(Math.abs(timeMs - model) / model).toBeLessThan(0.01);
    const sum = (n * (n + 1)) / 2;
    for (const result of results) expect(result).toEqual([sum, sum]);
  });

  it('is exact when the blocks divide evenly (bandwidth-bound and latency-bound)', async () => {
    for (const [alpha, bytesPerMs] of [
      [0, 1000],
      [3, Number.MAX_VALUE],
      [0.5, 2000],
    ] as const) {
      const { timeMs, finishMs } = await timedAllreduce(4, 4000, alpha, bytesPerMs);
      expect(timeMs).toBeCloseTo(ringModelMs(4, 16_000, alpha, bytesPerMs), 9);
      expect(new Set(finishMs).size).toBe(1);
    }
  });
});
