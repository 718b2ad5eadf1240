import { CompositionError, createRng, type Topology, type Transport } from '@syncopate/core';
import { runSimulated } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK } from './cost-model.js';
import { matrixTopology, randomDoublyStochastic } from './testing/index.js';
import { TransportCollective } from './transport-collective.js';

// Gossip error cases; convergence and mean preservation are in the property suite.
function gossip(t: Transport, topology: Topology): TransportCollective {
  return new TransportCollective(t, { name: 'gossip', choice: 'native', link: DEFAULT_LINK, preferNative: true, topology, gossip: ['neighbour-average', 'push-sum'] });
}

describe('gossip operations', () => {
  it('are absent when the collective has no topology', async () => {
    await runSimulated(1, (t) => {
      const c = new TransportCollective(t, { name: 'plain', choice: 'ring', link: DEFAULT_LINK, preferNative: false });
      expect(c.neighbourAverage).toBeUndefined();
      expect(c.pushSum).toBeUndefined();
      expect([...c.supports]).toEqual(['allreduce', 'max', 'allgather', 'broadcast', 'reduce-scatter', 'vote']);
    });
  });

  it('pushSum refuses a topology whose columns do not sum to 1, naming both plugins', async () => {
    const rowStochastic = matrixTopology('rows-only', 2, () => [
      [0.5, 0.5],
      [1, 0],
    ]);
    const error = await runSimulated(2, (t) => gossip(t, rowStochastic).pushSum!(new Float32Array(2), 1, 0)).catch((e: unknown) => e);
    expect(String(error)).toMatch(/pushSum needs column-stochastic weights, but rank \d's column of rows-only sums to/);
    expect((error as { cause?: unknown }).cause).toBeInstanceOf(CompositionError);
    expect(((error as { cause: CompositionError }).cause).plugins).toEqual(['pushSum', 'rows-only']);
  });

  it('refuse a topology sized for another number of ranks', async () => {
    const three = matrixTopology('three', 3, () => randomDoublyStochastic(3, createRng({ seed: 1, rank: 0, step: 0, stream: 's' })));
    await expect(runSimulated(2, (t) => gossip(t, three).neighbourAverage!(new Float32Array(1), 0))).rejects.toThrow(
      /topology three has 3 ranks but the transport has 2/,
    );
  });

  it('neighbourAverage with uniform row weights on a star is not mean-preserving — why it requires doubly-stochastic weights', async () => {
    // Star on 3 ranks, uniform weights: the hub averages all three (⅓ each), leaves take ½ of the hub.
    const star = matrixTopology('star-uniform', 3, () => [
      [1 / 3, 1 / 3, 1 / 3],
      [0.5, 0.5, 0],
      [0.5, 0, 0.5],
    ]);
    const { results } = await runSimulated(3, async (t) => {
      const x = Float32Array.of(t.rank === 0 ? 3 : 0);
      await gossip(t, star).neighbourAverage!(x, 0);
      return x[0]!;
    });
    expect(results.reduce((a, b) => a + b, 0) / 3).not.toBeCloseTo(1, 3); // the mean was 1
  });
});
