/**
 * The collective contract must be able to fail: a collective that delegates to the transport's
 * own collectives passes it; broken variants fail the check that guards their defect. (The
 * built-in collectives run it in packages/trainer/test/contracts/.)
 */
import { Capabilities, Collective, Transport, knownOptions, type PluginSpec } from '@syncopate/core';
import { simulatedNetwork } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { collectiveContract } from './collective-contract.js';

type Defect = 'none' | 'off-by-one' | 'reversed-gather' | 'overclaims';

function delegating(defect: Defect) {
  return (options: Record<string, never> = {}): PluginSpec => {
    knownOptions('delegating', options, []);
    return Object.freeze<PluginSpec>({
      kind: 'collective',
      name: 'delegating',
      options: Object.freeze({}),
      provides: Object.freeze([Capabilities.allreduce, Capabilities.allgather, ...(defect === 'overclaims' ? [Capabilities.vote] : [])]),
      register(registrar) {
        registrar.register(Collective, {
          useFactory: (resolver) => {
            const t = resolver.resolve(Transport);
            const native = t.collectives;
            return {
              name: 'delegating',
              supports: new Set(['allreduce', 'max', 'allgather', 'broadcast'] as const),
              async allreduce(buffer: Float32Array) {
                if (t.size > 1) await native.allreduce!(buffer, 'sum');
                if (defect === 'off-by-one' && t.rank === 0 && buffer.length > 0) buffer[0] = buffer[0]! + 1;
              },
              max: async (buffer: Float32Array) => (t.size > 1 ? native.allreduce!(buffer, 'max') : undefined),
              async allgather(data: Uint8Array) {
                const all = t.size > 1 ? await native.allgather!(data) : [data.slice()];
                return defect === 'reversed-gather' ? all.reverse() : all;
              },
              broadcast: async (buffer: ArrayBufferView, root: number) => (t.size > 1 ? native.broadcast!(buffer, root) : undefined),
            };
          },
        });
      },
    });
  };
}

async function failures(defect: Defect): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  const transports = (size: number) => simulatedNetwork({ ranks: size }).transports;
  for (const c of collectiveContract(delegating(defect), { transports, sizes: [1, 3] })) {
    await Promise.resolve().then(c.run).catch((error: unknown) => failed.set(c.name, String(error)));
  }
  return failed;
}

describe('collectiveContract', () => {
  it("passes a collective that delegates to the transport's own", async () => {
    expect([...(await failures('none')).keys()]).toEqual([]);
  });

  it('catches a wrong sum, payloads out of rank order, and a capability it does not implement', async () => {
    expect((await failures('off-by-one')).get('allreduce on 3 rank(s): the exact sum within float32 rounding, the same bits on every rank')).toMatch(/element 0/);
    expect((await failures('reversed-gather')).get('max, allgather and broadcast on 3 rank(s)')).toMatch(/allgather payload 0 is not rank 0's bytes/);
    expect((await failures('overclaims')).get('is an inert, frozen collective spec whose capabilities match what it supports')).toMatch(/provides collective:vote but supports lacks 'vote'/);
  });
});
