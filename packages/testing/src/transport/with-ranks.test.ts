import { simulatedNetwork } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { withRanks } from './with-ranks.js';

describe('withRanks', () => {
  it('runs every rank at once and returns the results by rank, disposing the transports', async () => {
    const transports = simulatedNetwork({ ranks: 4 }).transports;
    const sums = await withRanks(transports, async (t) => {
      const x = new Int32Array([t.rank]);
      await t.collectives.allreduce!(x, 'sum');
      return x[0];
    });
    expect(sums).toEqual([6, 6, 6, 6]);
    await expect(transports[0]!.barrier()).rejects.toThrow(/disposed/);
  });

  it('names the rank that failed first, with its error as the cause, and frees the ranks waiting on it', async () => {
    const boom = new Error('boom');
    const run = withRanks(simulatedNetwork({ ranks: 3 }).transports, async (t) => {
      if (t.rank === 1) throw boom;
      await t.recv(1, 0);
    });
    const error = (await run.then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { ranks: number[] };
    expect(error.message).toBe('withRanks: rank 1 failed: Error: boom (then ranks 0, 2 failed too)');
    expect(error.cause).toBe(boom);
    expect(error.ranks).toEqual([1, 0, 2]);
  });
});
