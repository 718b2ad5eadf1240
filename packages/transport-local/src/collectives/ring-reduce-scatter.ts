import { LengthMismatchError, TransportError, fnv1a32, type NumericArray, type ReduceOp } from '@syncopate/core';
import { Agreement } from './agreement.js';
import { block, bytesOf, elementsOf, mod, offsetsFromCounts } from './blocks.js';
import type { CollectiveChannel } from './channel.js';
import { reduceInto } from './reduce.js';

/**
 * The reduce-scatter pass of the ring algorithm (Patarasuk & Yuan, "Bandwidth optimal all-reduce
 * algorithms for clusters of workstations", JPDC 2009). `work` is split into `size` blocks at
 * `offsets`; in step s (0 ≤ s < size − 1) rank r sends block (r − s − 1) to rank r + 1 and folds
 * the block (r − s − 2) it receives from rank r − 1 into its own copy. Block b starts at rank
 * b + 1 and collects one contribution per hop, so after size − 1 steps rank r holds block r
 * reduced over all ranks, each block summed in the same order on whichever rank owns it.
 *
 * The messages also carry an {@link Agreement} so that every rank ends knowing whether all ranks
 * passed the same arguments; blocks whose sizes disagree are not folded.
 */
export async function reduceScatterPass(
  channel: CollectiveChannel,
  work: NumericArray,
  offsets: readonly number[],
  op: ReduceOp,
  agreement: Agreement,
): Promise<Agreement> {
  const { size: n, rank: r } = channel;
  for (let s = 0; s < n - 1; s++) {
    const sendBlock = mod(r - s - 1, n);
    const recvBlock = mod(r - s - 2, n);
    const envelope = channel.envelope();
    agreement.write(envelope);
    const message = await channel.exchange((r + 1) % n, bytesOf(block(work, offsets, sendBlock)), mod(r - 1, n), envelope);
    agreement = agreement.merge(message.envelope!);
    const target = block(work, offsets, recvBlock);
    if (agreement.consistent && message.payload.byteLength === target.byteLength) {
      reduceInto(target, elementsOf(target, message.payload), op);
    }
  }
  return agreement;
}

/**
 * Native `reduceScatter`: sums `buffer` over ranks so that block `rank` (of `counts[rank]`
 * elements) holds the sum on return. Other blocks are left as they were on the caller's side.
 */
export async function ringReduceScatter(channel: CollectiveChannel, buffer: Float32Array, counts: readonly number[]): Promise<void> {
  const operation = `reduceScatter on rank ${channel.rank}`;
  if (counts.length !== channel.size) {
    throw new TransportError(`${operation}: counts has ${counts.length} entries but the transport has ${channel.size} ranks`);
  }
  for (const count of counts) {
    if (!Number.isInteger(count) || count < 0) throw new TransportError(`${operation}: counts must be integers >= 0, got ${count}`);
  }
  const offsets = offsetsFromCounts(counts);
  if (offsets[counts.length] !== buffer.length) {
    throw new TransportError(`${operation}: counts add up to ${offsets[counts.length]} but the buffer has ${buffer.length} elements`);
  }
  const key = fnv1a32(`${buffer.length}:${counts.join(',')}`);
  const work = buffer.slice();
  const agreement = await reduceScatterPass(channel, work, offsets, 'sum', Agreement.of(channel.rank, key, buffer.length));
  if (!agreement.consistent) {
    if (agreement.minLength !== agreement.maxLength) throw new LengthMismatchError('reduceScatter', agreement.lengths());
    throw new TransportError(`reduceScatter: ranks ${agreement.minRank} and ${agreement.maxRank} passed different counts`, [
      agreement.minRank,
      agreement.maxRank,
    ]);
  }
  block(buffer, offsets, channel.rank).set(block(work, offsets, channel.rank));
}
