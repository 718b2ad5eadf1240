import type { CallOptions, NumericArray, ReduceOp } from '@syncopate/core';
import type { Block } from '../blocks.js';
import type { PeerLink } from '../peer-link.js';
import { combineInto, scratchLike } from '../reduce.js';
import { COLLECTIVE_TAGS } from '../tags.js';
import { ringPipeline, ringTuning, segmentCount, type RingTuning } from './ring-pipeline.js';

/**
 * Ring reduce-scatter, in place: `buffer` is cut into one block per rank; after n − 1 steps
 * block `rank` holds the reduction over all ranks (the other blocks hold partial results).
 *
 * At step s, rank r sends block (r − s − 1) to r + 1 and receives block (r − s − 2) from r − 1,
 * combining it into its own copy; each block travels once around the ring, picking up every
 * rank's contribution. Each rank sends (n − 1)/n of the buffer (Patarasuk & Yuan, "Bandwidth
 * optimal all-reduce algorithms for clusters of workstations", JPDC 2009). Large blocks travel in
 * pipelined segments ({@link ringPipeline}).
 */
export async function ringReduceScatter(
  link: PeerLink,
  buffer: NumericArray,
  blocks: readonly Block[],
  op: ReduceOp,
  options?: CallOptions,
  tuning: RingTuning = {},
): Promise<void> {
  const n = link.size;
  if (n === 1) return;
  const { segmentBytes, depth } = ringTuning(tuning);
  const largest = blocks.reduce((m, b) => Math.max(m, b.count), 0);
  const slotLength = Math.ceil(largest / segmentCount(largest, buffer.BYTES_PER_ELEMENT, segmentBytes));
  const slots = Array.from({ length: depth }, () => scratchLike(buffer, slotLength));
  await ringPipeline(
    link,
    buffer,
    blocks,
    {
      sendBlock: (s) => (link.rank - s - 1 + 2 * n) % n,
      recvBlock: (s) => (link.rank - s - 2 + 2 * n) % n,
      tagBase: COLLECTIVE_TAGS.ringReduceScatter,
      scratch: (slot, count) => slots[slot]!.subarray(0, count),
      received: (target, arrived) => combineInto(target, arrived, op),
    },
    options,
    tuning,
  );
}
