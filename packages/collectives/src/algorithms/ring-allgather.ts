import type { CallOptions, NumericArray } from '@syncopate/core';
import type { Block } from '../blocks.js';
import type { PeerLink } from '../peer-link.js';
import { COLLECTIVE_TAGS } from '../tags.js';
import { ringPipeline, type RingPass, type RingTuning } from './ring-pipeline.js';

/**
 * The allgather steps of the ring: at step s (0 ≤ s < n − 1) rank r passes block (r − s) to
 * r + 1 and receives block (r − s − 1) from r − 1 straight into place.
 */
export function allgatherSteps(rank: number, size: number): RingPass {
  const n = size;
  return {
    steps: n - 1,
    sendBlock: (s) => (rank - s + n) % n,
    recvBlock: (s) => (rank - s - 1 + 2 * n) % n,
    tag: () => COLLECTIVE_TAGS.ringAllgather,
    scratch: () => undefined,
  };
}

/**
 * Ring allgather of equal-typed blocks, in place: on entry rank r's block r is its contribution;
 * on return every block holds its owner's; (n − 1)/n of the buffer sent per rank. Large blocks
 * travel in pipelined segments ({@link ringPipeline}).
 */
export async function ringAllgather(link: PeerLink, buffer: NumericArray, blocks: readonly Block[], options?: CallOptions, tuning: RingTuning = {}): Promise<void> {
  await ringPipeline(link, buffer, blocks, allgatherSteps(link.rank, link.size), options, tuning);
}
