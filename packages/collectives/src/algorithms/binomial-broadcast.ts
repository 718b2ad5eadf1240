import type { CallOptions } from '@syncopate/core';
import type { PeerLink } from '../peer-link.js';
import { COLLECTIVE_TAGS } from '../tags.js';

/**
 * Binomial-tree broadcast from `root`, in place: in round k every rank that already has the data
 * sends it to the rank 2^k further along (relative to the root), so ⌈log₂ n⌉ rounds reach
 * everyone (the MPICH short-message broadcast; Thakur, Rabenseifner & Gropp 2005).
 */
export async function binomialBroadcast(link: PeerLink, buffer: ArrayBufferView, root: number, options?: CallOptions): Promise<void> {
  const n = link.size;
  const relative = (link.rank - root + n) % n;
  const actual = (r: number) => (r + root) % n;
  let mask = 1;
  while (mask < n) {
    if (relative & mask) {
      await link.recvInto(actual(relative - mask), COLLECTIVE_TAGS.binomialBroadcast, buffer, options);
      break;
    }
    mask <<= 1;
  }
  // Farthest child first: it has the largest subtree still to serve. Sends go one at a time, so
  // a broadcast never holds more than one transport call in flight per rank.
  for (mask >>= 1; mask > 0; mask >>= 1) {
    if (relative + mask < n) await link.send(actual(relative + mask), COLLECTIVE_TAGS.binomialBroadcast, buffer, options);
  }
}
