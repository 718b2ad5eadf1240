import { runSimulated } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK, chooseAllreduce, estimateTime } from './cost-model.js';
import { TransportCollective } from './transport-collective.js';

// The simulated network charges α + M/B per message, sends serialised on each rank's link, which
// is the α-β model. Our point-to-point algorithms should therefore take exactly the modelled time.
describe('estimateTime against the simulated network', () => {
  const link = { latencyMs: 0.5, bandwidthGbps: 1 };
  it.each([2, 4, 8])('ring and recursive doubling match the model on %i ranks', async (n) => {
    const length = 1000 * n; // divisible into n equal blocks
    for (const choice of ['ring', 'recursive-doubling'] as const) {
      const { timeMs } = await runSimulated({ ranks: n, latencyMs: link.latencyMs, bandwidthGbps: link.bandwidthGbps }, (t) =>
        new TransportCollective(t, { name: 'sim', choice, link: DEFAULT_LINK, preferNative: false }).allreduce(new Float32Array(length)),
      );
      expect(timeMs).toBeCloseTo(estimateTime(choice, 4 * length, n, link), 6);
    }
  });

  it('the segmented, pipelined ring keeps the bandwidth term: 8 MB on 4 ranks within 1% of 2(n − 1)/n · M/B', async () => {
    const floats = 2_000_000; // 2 MB blocks: two 1 MiB segments each
    const bound = ((2 * 3) / 4) * ((4 * floats) / 125_000); // ms at 1 Gbit/s
    for (const depth of [1, 8]) {
      const { timeMs } = await runSimulated({ ranks: 4, latencyMs: 0.05, bandwidthGbps: 1 }, (t) =>
        new TransportCollective(t, { name: 'sim', choice: 'ring', link: DEFAULT_LINK, preferNative: false, ring: { depth } }).allreduce(new Float32Array(floats)),
      );
      expect(timeMs).toBeGreaterThanOrEqual(bound);
      expect(timeMs).toBeLessThan(1.01 * bound);
    }
  });

  it('auto picks the faster algorithm on the simulated link, for small and large buffers', async () => {
    for (const length of [16, 250_000]) {
      const times = new Map<string, number>();
      for (const choice of ['ring', 'recursive-doubling'] as const) {
        const { timeMs } = await runSimulated({ ranks: 4, latencyMs: link.latencyMs, bandwidthGbps: link.bandwidthGbps }, (t) =>
          new TransportCollective(t, { name: 'sim', choice, link: DEFAULT_LINK, preferNative: false }).allreduce(new Float32Array(length)),
        );
        times.set(choice, timeMs);
      }
      const chosen = chooseAllreduce(4 * length, 4, link);
      expect(times.get(chosen)).toBe(Math.min(...times.values()));
    }
  });
});
