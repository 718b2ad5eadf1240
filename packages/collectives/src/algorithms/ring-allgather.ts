import type { CallOptions, NumericArray } from '@syncopate/core';
import type { Block } from '../blocks.js';
import type { PeerLink } from '../peer-link.js';
import { COLLECTIVE_TAGS } from '../tags.js';
import { ringPipeline, type RingTuning } from './ring-pipeline.js';

/**
 * Ring allgather of equal-typed blocks, in place: on entry rank r's block r is its contribution;
 * on return every block holds its owner's. At step s, rank r passes block (r − s) to r + 1 and
 * receives block (r − s − 1) from r − 1 straight into place; (n − 1)/n of the buffer sent per
 * rank. Large blocks travel in pipelined segments ({@link ringPipeline}).
 */
export async function ringAllgather(link: PeerLink, buffer: NumericArray, blocks: readonly Block[], options?: CallOptions, tuning: RingTuning = {}): Promise<void> {
  const n = link.size;
  await ringPipeline(
    link,
    buffer,
    blocks,
    {
      sendBlock: (s) => (link.rank - s + n) % n,
      recvBlock: (s) => (link.rank - s - 1 + 2 * n) % n,
      tagBase: COLLECTIVE_TAGS.ringAllgather,
    },
    options,
    tuning,
  );
}
