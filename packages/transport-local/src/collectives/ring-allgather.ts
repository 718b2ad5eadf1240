import { mod } from './blocks.js';
import type { CollectiveChannel } from './channel.js';

/**
 * Ring allgather of byte strings of any length: in step s rank r forwards to rank r + 1 the
 * contribution of rank r − s (its own first) and receives that of rank r − s − 1. n − 1 steps;
 * under the α-β model (n − 1)α + (bytes of the other ranks)/B, the least any algorithm can move.
 *
 * @returns every rank's contribution, by rank (fresh copies).
 */
export async function ringAllgather(channel: CollectiveChannel, data: Uint8Array): Promise<Uint8Array[]> {
  const { size: n, rank: r } = channel;
  const blocks: Uint8Array[] = new Array(n);
  blocks[r] = data.slice();
  for (let s = 0; s < n - 1; s++) {
    const message = await channel.exchange((r + 1) % n, blocks[mod(r - s, n)]!, mod(r - 1, n));
    blocks[mod(r - s - 1, n)] = message.payload;
  }
  return blocks;
}
