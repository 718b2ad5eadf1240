import { LengthMismatchError, TransportError } from '@syncopate/core';
import { mod } from './blocks.js';
import type { CollectiveChannel } from './channel.js';

/**
 * Binomial-tree broadcast: with ranks renumbered so that `root` is 0, rank v receives from
 * v − 2^k (2^k its lowest set bit) and forwards to v + 2^j for every j < k, largest subtree
 * first; ⌈log₂ n⌉ rounds.
 *
 * The envelope carries the root and its length. A rank whose buffer has another length still
 * forwards the root's bytes, so its subtree completes, then fails with a
 * {@link LengthMismatchError} naming the root and itself.
 */
export async function binomialBroadcast(channel: CollectiveChannel, bytes: Uint8Array, root: number): Promise<void> {
  const { size: n, rank: r } = channel;
  const virtualRank = mod(r - root, n);
  let data = bytes;
  let rootLength = bytes.byteLength;
  let mask = 1;
  while (mask < n) {
    if (virtualRank & mask) {
      const parent = mod(virtualRank - mask + root, n);
      const message = await channel.recv(parent);
      const envelope = message.envelope!;
      if (envelope[2] !== root) {
        throw new TransportError(`broadcast on rank ${r}: this rank uses root ${root} but rank ${parent} uses root ${envelope[2]}`, [r, parent]);
      }
      rootLength = envelope[3]!;
      data = message.payload;
      break;
    }
    mask <<= 1;
  }
  const envelope = channel.envelope();
  envelope[2] = root;
  envelope[3] = rootLength;
  const sends: Promise<void>[] = [];
  for (mask >>= 1; mask > 0; mask >>= 1) {
    if (virtualRank + mask < n) sends.push(channel.send(mod(virtualRank + mask + root, n), data, envelope));
  }
  await Promise.all(sends);
  if (data === bytes) return;
  if (rootLength !== bytes.byteLength) {
    throw new LengthMismatchError(
      'broadcast',
      new Map([
        [root, rootLength],
        [r, bytes.byteLength],
      ]),
    );
  }
  bytes.set(data);
}
