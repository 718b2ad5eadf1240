import type { CallOptions, Transport } from '@syncopate/core';
import { SYNC_POLICY_TAGS } from './tags.js';

/**
 * Whether `flag` is true on every rank: each rank sends its one-byte flag to every other rank
 * and receives theirs (one round, n − 1 messages each way), on the reserved tag
 * {@link SYNC_POLICY_TAGS.agreement}. Every rank must call it the same number of times; all get
 * the same answer. It does not go through the collective, so it is not queued behind an exchange
 * that is still in flight: that is why HPSGD uses it to agree on "the last sync has finished".
 */
export async function allRanksAgree(transport: Transport, flag: boolean, options?: CallOptions): Promise<boolean> {
  const { rank, size } = transport;
  if (size === 1) return flag;
  const mine = Uint8Array.of(flag ? 1 : 0);
  const peers = Array.from({ length: size - 1 }, (_, i) => (rank + 1 + i) % size);
  const [, answers] = await Promise.all([
    Promise.all(peers.map((peer) => transport.send(peer, SYNC_POLICY_TAGS.agreement, mine, options))),
    Promise.all(peers.map((peer) => transport.recv(peer, SYNC_POLICY_TAGS.agreement, options))),
  ]);
  return flag && answers.every((answer) => answer.length === 1 && answer[0] === 1);
}
