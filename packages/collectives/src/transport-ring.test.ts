import type { CallOptions, NumericArray, ReduceOp, Transport } from '@syncopate/core';
import { runSimulated } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { ringAllreduce } from './algorithms/ring-allreduce.js';
import { DEFAULT_LINK } from './cost-model.js';
import { TransportCollective } from './transport-collective.js';

/**
 * `t` with a `collectives.ringAllreduce` of its own, as the MPI transport offers one: it records
 * the segment size it was asked for and runs the point-to-point ring with it.
 */
function withTransportRing(t: Transport, asked: number[]): Transport {
  const collectives = {
    ...t.collectives,
    ringAllreduce: (buffer: NumericArray, op: ReduceOp, segmentBytes: number, options?: CallOptions) => {
      asked.push(segmentBytes);
      return ringAllreduce(t, buffer, op, options, { segmentBytes });
    },
  };
  return new Proxy(t, {
    get: (target, key) => {
      if (key === 'collectives') return collectives;
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe("the ring algorithm and a transport's own ring", () => {
  it('runs the ring inside the transport when it offers one, with the configured segment size', async () => {
    const { results } = await runSimulated(4, async (t) => {
      const asked: number[] = [];
      const collective = new TransportCollective(withTransportRing(t, asked), { name: 'test', choice: 'ring', link: DEFAULT_LINK, preferNative: false, ring: { segmentBytes: 64 } });
      const buffer = Float32Array.from({ length: 103 }, (_, i) => i * (t.rank + 1));
      await collective.allreduce(buffer);
      return { asked, wrong: buffer.findIndex((v, i) => v !== i * 10) };
    });
    expect(results).toEqual(Array.from({ length: 4 }, () => ({ asked: [64], wrong: -1 })));
  });

  it('keeps the point-to-point ring among hierarchical group leaders (a subgroup is not the transport)', async () => {
    const { results } = await runSimulated(4, async (t) => {
      const asked: number[] = [];
      const collective = new TransportCollective(withTransportRing(t, asked), {
        name: 'test',
        choice: 'hierarchical',
        groups: [
          [0, 1],
          [2, 3],
        ],
        inter: 'ring',
        link: DEFAULT_LINK,
        preferNative: false,
      });
      const buffer = new Float32Array(10).fill(t.rank + 1);
      await collective.allreduce(buffer);
      return { asked, sum: buffer[9] };
    });
    expect(results).toEqual(Array.from({ length: 4 }, () => ({ asked: [], sum: 10 })));
  });
});
