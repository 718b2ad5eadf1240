import type { CallOptions } from '@syncopate/core';
import type { PeerLink } from '../peer-link.js';
import { bytesOf } from '../reduce.js';
import { COLLECTIVE_TAGS } from '../tags.js';

/**
 * Ring allgatherv of byte payloads of any length (lengths may differ between ranks): each payload
 * is passed n − 1 times around the ring, so every rank receives the other n − 1 payloads in n − 1
 * messages. Returns fresh copies, indexed by rank (this rank's own payload copied too).
 */
export async function ringAllgatherv(link: PeerLink, data: ArrayBufferView, options?: CallOptions): Promise<Uint8Array[]> {
  const n = link.size;
  const items: Uint8Array[] = new Array(n);
  items[link.rank] = bytesOf(data).slice();
  const next = (link.rank + 1) % n;
  const prev = (link.rank + n - 1) % n;
  for (let s = 0; s < n - 1; s++) {
    const outgoing = items[(link.rank - s + n) % n]!;
    const [, incoming] = await Promise.all([
      link.send(next, COLLECTIVE_TAGS.byteAllgather, outgoing, options),
      link.recv(prev, COLLECTIVE_TAGS.byteAllgather, options),
    ]);
    items[(link.rank - s - 1 + 2 * n) % n] = incoming;
  }
  return items;
}
