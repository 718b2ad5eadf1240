import type { CallOptions, Edge, Neighbourhood } from '@syncopate/core';
import type { PeerLink } from '../peer-link.js';

/**
 * One round of messages along a topology's edges: send to every out-neighbour of `hood.send` and
 * receive from every in-neighbour of `hood.receive`.
 *
 * The messages are grouped by ring offset d = 1…n−1: in stage d a rank sends to rank + d and
 * receives from rank − d (when those are its neighbours). Both ends of an edge reach the same
 * stage, and an edge of offset d only waits on stages before d, so no cycle of waits can form on
 * any graph, directed or not, while each rank holds at most one send and one receive in flight
 * (blocking transports such as MPI run each call on a bounded thread pool).
 */
export async function neighbourExchange(
  link: PeerLink,
  hood: Neighbourhood,
  tag: number,
  outgoing: (edge: Edge) => ArrayBufferView,
  incoming: (edge: Edge) => ArrayBufferView,
  received: (edge: Edge, into: ArrayBufferView) => void,
  options?: CallOptions,
): Promise<void> {
  const n = link.size;
  const sendAt = new Map<number, Edge>();
  const recvAt = new Map<number, Edge>();
  for (const e of hood.send) sendAt.set((e.peer - link.rank + n) % n, e);
  for (const e of hood.receive) recvAt.set((link.rank - e.peer + n) % n, e);
  const offsets = [...new Set([...sendAt.keys(), ...recvAt.keys()])].sort((a, b) => a - b);
  for (const d of offsets) {
    const to = sendAt.get(d);
    const from = recvAt.get(d);
    const into = from ? incoming(from) : undefined;
    await Promise.all([
      to ? link.send(to.peer, tag, outgoing(to), options) : undefined,
      from ? link.recvInto(from.peer, tag, into!, options) : undefined,
    ]);
    if (from) received(from, into!);
  }
}
