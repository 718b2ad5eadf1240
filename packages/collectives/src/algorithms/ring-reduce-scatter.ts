import type { CallOptions, NumericArray, ReduceOp } from '@syncopate/core';
import type { Block } from '../blocks.js';
import type { PeerLink } from '../peer-link.js';
import { combineInto } from '../reduce.js';
import { COLLECTIVE_TAGS } from '../tags.js';
import { ringPipeline, ringScratch, type RingPass, type RingTuning } from './ring-pipeline.js';

/**
 * The reduce-scatter steps of the ring: at step s (0 ≤ s < n − 1) rank r sends block (r − s − 1)
 * to r + 1 and receives block (r − s − 2) from r − 1, combining it into its own copy. Each block
 * travels once around the ring, picking up every rank's contribution, and ends complete on the
 * rank of its index.
 */
export function reduceScatterSteps(rank: number, size: number, scratch: readonly NumericArray[], op: ReduceOp): RingPass {
  const n = size;
  return {
    steps: n - 1,
    sendBlock: (s) => (rank - s - 1 + 2 * n) % n,
    recvBlock: (s) => (rank - s - 2 + 2 * n) % n,
    tag: () => COLLECTIVE_TAGS.ringReduceScatter,
    scratch: (_s, slot, count) => scratch[slot]!.subarray(0, count),
    combine: (target, arrived) => combineInto(target, arrived, op),
  };
}

/**
 * Ring reduce-scatter, in place: `buffer` is cut into one block per rank; after n − 1 steps
 * block `rank` holds the reduction over all ranks (the other blocks hold partial results). Each
 * rank sends (n − 1)/n of the buffer (Patarasuk & Yuan, "Bandwidth optimal all-reduce algorithms
 * for clusters of workstations", JPDC 2009). Large blocks travel in pipelined segments
 * ({@link ringPipeline}).
 */
export async function ringReduceScatter(
  link: PeerLink,
  buffer: NumericArray,
  blocks: readonly Block[],
  op: ReduceOp,
  options?: CallOptions,
  tuning: RingTuning = {},
): Promise<void> {
  if (link.size === 1) return;
  const scratch = ringScratch(buffer, Math.max(...blocks.map((b) => b.count)), tuning);
  await ringPipeline(link, buffer, blocks, reduceScatterSteps(link.rank, link.size, scratch, op), options, tuning);
}
