import { LengthMismatchError, TransportError, type NumericArray, type ReduceOp } from '@syncopate/core';
import { Agreement } from './agreement.js';
import { block, bytesOf, evenOffsets, mod } from './blocks.js';
import type { CollectiveChannel } from './channel.js';
import { reduceScatterPass } from './ring-reduce-scatter.js';

/**
 * The allgather pass of the ring: in step s rank r sends block (r − s) to rank r + 1 and stores
 * the block (r − s − 1) it receives from rank r − 1. After size − 1 steps every rank holds every
 * block exactly as its owner reduced it, so all ranks end with identical bits.
 */
export async function allgatherPass(channel: CollectiveChannel, work: NumericArray, offsets: readonly number[]): Promise<void> {
  const { size: n, rank: r } = channel;
  for (let s = 0; s < n - 1; s++) {
    const target = block(work, offsets, mod(r - s - 1, n));
    const message = await channel.exchange((r + 1) % n, bytesOf(block(work, offsets, mod(r - s, n))), mod(r - 1, n));
    if (message.payload.byteLength !== target.byteLength) {
      throw new TransportError(`allreduce: rank ${mod(r - 1, n)} sent a block of ${message.payload.byteLength} bytes, expected ${target.byteLength}`);
    }
    bytesOf(target).set(message.payload);
  }
}

/**
 * Ring allreduce (Patarasuk & Yuan, "Bandwidth optimal all-reduce algorithms for clusters of
 * workstations", JPDC 2009): a reduce-scatter pass then an allgather pass over the ring
 * r → r + 1, 2(n − 1) steps each moving one block of about M/n bytes. Under the α-β model that
 * costs 2(n − 1)α + 2(n − 1)/n · M/B, which is what the simulated network reports.
 *
 * Works on a copy, so `buffer` is left unchanged when ranks passed different lengths; that case
 * is detected during the first pass and fails on every rank with the same
 * {@link LengthMismatchError}.
 */
export async function ringAllreduce(channel: CollectiveChannel, buffer: NumericArray, op: ReduceOp): Promise<void> {
  if (channel.size === 1) return;
  const work = buffer.slice();
  const offsets = evenOffsets(buffer.length, channel.size);
  const agreement = await reduceScatterPass(channel, work, offsets, op, Agreement.of(channel.rank, buffer.length, buffer.length));
  if (!agreement.consistent) throw new LengthMismatchError(`allreduce(${op})`, agreement.lengths());
  await allgatherPass(channel, work, offsets);
  buffer.set(work);
}
