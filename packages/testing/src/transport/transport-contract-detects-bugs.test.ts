/**
 * The contract is not vacuous: a transport with one property broken fails the scenario that
 * checks that property (and a correct one passes everything, see transport-contract.test.ts).
 */
import type { CallOptions, Transport, TransportStats } from '@syncopate/core';
import { runSimulated } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { runTransportContract } from './transport-contract.js';

type Bug = 'allreduce ignores others' | 'sum is max' | 'recvInto truncates' | 'barrier returns at once' | 'stats count nothing' | 'broadcast keeps local bytes';

/** Delegates everything to `inner` except the one behaviour `bug` breaks. */
function broken(inner: Transport, bug: Bug): Transport {
  const c = inner.collectives;
  return {
    name: inner.name,
    rank: inner.rank,
    size: inner.size,
    clock: inner.clock,
    get stats(): TransportStats {
      return bug === 'stats count nothing' ? { bytesSent: 0, bytesReceived: 0, messagesSent: 0 } : inner.stats;
    },
    collectives: {
      ...c,
      allreduce: async (buffer, op, options) => {
        if (bug === 'allreduce ignores others') return;
        return c.allreduce!(buffer, bug === 'sum is max' && op === 'sum' ? 'max' : op, options);
      },
      broadcast: async (buffer, root, options) => {
        if (bug !== 'broadcast keeps local bytes' || inner.rank === root) return c.broadcast!(buffer, root, options);
        await c.broadcast!(new Uint8Array(buffer.byteLength), root, options);
      },
    },
    send: (dest, tag, data, options) => inner.send(dest, tag, data, options),
    recv: (source, tag, options) => inner.recv(source, tag, options),
    recvInto: async (source: number, tag: number, into: ArrayBufferView, options?: CallOptions) => {
      if (bug !== 'recvInto truncates') return inner.recvInto(source, tag, into, options);
      const bytes = await inner.recv(source, tag, options);
      new Uint8Array(into.buffer, into.byteOffset, into.byteLength).set(bytes.subarray(0, into.byteLength));
    },
    barrier: (options) => (bug === 'barrier returns at once' ? Promise.resolve() : inner.barrier(options)),
    split: inner.split?.bind(inner),
    dispose: () => inner.dispose(),
  };
}

const cases: Array<[Bug, string]> = [
  ['allreduce ignores others', 'allreduce: every op, dtype and length'],
  ['sum is max', 'allreduce: every op, dtype and length'],
  ['recvInto truncates', 'recvInto checks the length'],
  ['barrier returns at once', 'barrier waits for every rank'],
  ['stats count nothing', 'stats count point-to-point traffic'],
  ['broadcast keeps local bytes', 'broadcast from every root'],
];

describe('the transport contract catches broken transports', () => {
  it.each(cases)('%s → "%s" fails', async (bug, scenario) => {
    const { results } = await runSimulated({ ranks: 3, latencyMs: 0.01 }, (t) => runTransportContract(broken(t, bug), { only: [scenario], timeoutMs: 1000 }));
    // A scenario fails when it fails on any rank (the late rank of the barrier scenario, for one, passes).
    const statuses = results.map((report) => report.results.map((r) => `${r.name}: ${r.status}`));
    expect(statuses.some((s) => s[0] === `${scenario}: failed`)).toBe(true);
    expect(statuses.every((s) => s.length === 1 && s[0]!.startsWith(scenario))).toBe(true);
  });
});
