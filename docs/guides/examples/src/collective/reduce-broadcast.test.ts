import { collectiveContract, withRanks } from '@syncopate/testing';
import { simulatedNetwork } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { ReduceBroadcast, reduceBroadcast } from './reduce-broadcast.js';

const transports = (size: number) => simulatedNetwork({ ranks: size }).transports;

describe('reduceBroadcast', () => {
  it('is a star: rank 0 receives and sends n − 1 buffers per allreduce, every other rank sends one', async () => {
    const sent = await withRanks(transports(5), async (transport) => {
      const before = transport.stats.messagesSent;
      const buffer = Float32Array.of(transport.rank, 1);
      await new ReduceBroadcast(transport).allreduce(buffer);
      expect([...buffer]).toEqual([10, 5]);
      return transport.stats.messagesSent - before;
    });
    expect(sent).toEqual([4, 1, 1, 1, 1]);
  });

  describe('passes the collective contract', () => {
    for (const c of collectiveContract(reduceBroadcast, { transports })) it(c.name, c.run);
  });
});
