import { mod } from './blocks.js';
import type { CollectiveChannel } from './channel.js';

const EMPTY = new Uint8Array(0);

/**
 * Dissemination barrier (Hensgen, Finkel & Manber, "Two algorithms for barrier synchronization",
 * IJPP 1988): in round k rank r signals rank r + 2^k and waits for rank r − 2^k. After ⌈log₂ n⌉
 * rounds every rank has heard, directly or not, from every other, so none leaves before all have
 * entered. Costs ⌈log₂ n⌉α under the α-β model.
 */
export async function disseminationBarrier(channel: CollectiveChannel): Promise<void> {
  const { size: n, rank: r } = channel;
  for (let distance = 1; distance < n; distance *= 2) {
    await channel.exchange((r + distance) % n, EMPTY, mod(r - distance, n));
  }
}
