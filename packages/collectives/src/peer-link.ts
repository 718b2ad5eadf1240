import { OptionError, type CallOptions, type Transport } from '@syncopate/core';

/**
 * The point-to-point part of a {@link Transport} that the algorithms of this package use. A
 * `Transport` is one; {@link subgroupLink} makes one over a subset of ranks.
 */
export type PeerLink = Pick<Transport, 'rank' | 'size' | 'send' | 'recv' | 'recvInto'>;

/**
 * A link over `ranks` (global ranks of `parent`, in the order that defines the new ranks
 * 0…k−1). The calling rank must be one of them. Messages travel over the parent unchanged, so
 * the subgroup shares the parent's tags; algorithms run one at a time keep them apart.
 */
export function subgroupLink(parent: PeerLink, ranks: readonly number[]): PeerLink {
  const rank = ranks.indexOf(parent.rank);
  if (rank < 0) throw new OptionError('subgroupLink', 'ranks', `must include the calling rank ${parent.rank}, got [${ranks.join(', ')}]`);
  const global = (r: number) => {
    const g = ranks[r];
    if (g === undefined) throw new RangeError(`subgroupLink: rank ${r} is not in a group of ${ranks.length}`);
    return g;
  };
  return {
    rank,
    size: ranks.length,
    send: (dest: number, tag: number, data: ArrayBufferView, options?: CallOptions) => parent.send(global(dest), tag, data, options),
    recv: (source: number, tag: number, options?: CallOptions) => parent.recv(global(source), tag, options),
    recvInto: (source: number, tag: number, into: ArrayBufferView, options?: CallOptions) => parent.recvInto(global(source), tag, into, options),
  };
}

/** Send to one rank and receive from another at the same time (both directions in flight). */
export async function sendRecvInto(
  link: PeerLink,
  dest: number,
  data: ArrayBufferView,
  source: number,
  into: ArrayBufferView,
  tag: number,
  options?: CallOptions,
): Promise<void> {
  await Promise.all([link.send(dest, tag, data, options), link.recvInto(source, tag, into, options)]);
}
