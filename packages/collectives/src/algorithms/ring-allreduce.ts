import type { CallOptions, NumericArray, ReduceOp } from '@syncopate/core';
import { evenBlocks } from '../blocks.js';
import type { PeerLink } from '../peer-link.js';
import { ringAllgather } from './ring-allgather.js';
import type { RingTuning } from './ring-pipeline.js';
import { ringReduceScatter } from './ring-reduce-scatter.js';

/**
 * Ring allreduce, in place: a ring reduce-scatter followed by a ring allgather. Each rank sends
 * 2(n − 1)/n of the buffer in 2(n − 1) messages, which is bandwidth-optimal; time
 * 2(n − 1)α + 2(n − 1)/n · βN in the α-β model (Table III of Tang et al., "Communication-
 * Efficient Distributed Deep Learning: A Comprehensive Survey", 2020). Every rank ends with
 * bit-identical values: each block is reduced once, along the ring, then copied. Blocks larger
 * than `tuning.segmentBytes` (1 MiB) travel as a pipeline of segments.
 *
 * @example
 * ```ts
 * await algorithms.ringAllreduce(transport, gradients, 'sum');
 * ```
 */
export async function ringAllreduce(link: PeerLink, buffer: NumericArray, op: ReduceOp, options?: CallOptions, tuning: RingTuning = {}): Promise<void> {
  const blocks = evenBlocks(buffer.length, link.size);
  await ringReduceScatter(link, buffer, blocks, op, options, tuning);
  await ringAllgather(link, buffer, blocks, options, tuning);
}
