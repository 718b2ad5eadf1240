import { describe, expect, it } from 'vitest';
import { runSimulated } from './simulated-network.js';

describe('simulated network with many ranks', () => {
  it('simulates an allreduce on 64 ranks in well under a second of CPU, matching the ring model', async () => {
    // CPU time of this process, not wall time: the test machine is shared, and the claim is about
    // what the simulator itself costs (this includes compiling it on first use).
    const cpu = process.cpuUsage();
    const wallStart = performance.now();
    const n = 64;
    const floats = 64 * 1000;
    const { timeMs, results } = await runSimulated({ ranks: n, latencyMs: 0.05, bytesPerMs: 125_000 }, async (t) => {
      const x = new Float32Array(floats).fill(t.rank + 1);
      await t.collectives.allreduce!(x, 'sum');
      return [x[0], x[floats - 1]];
    });
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const wallMs = performance.now() - wallStart;
    expect(cpuMs).toBeLessThan(1000);
    expect(wallMs).toBeLessThan(5000);
    const model = 2 * (n - 1) * 0.05 + ((2 * (n - 1)) / n) * ((floats * 4) / 125_000);
    expect(Math.abs(timeMs - model) / model).toBeLessThan(0.01);
    for (const result of results) expect(result).toEqual([2080, 2080]);
  });
});
