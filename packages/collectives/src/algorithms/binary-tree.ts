import type { CallOptions, NumericArray, ReduceOp } from '@syncopate/core';
import type { PeerLink } from '../peer-link.js';
import { combineInto, scratchLike } from '../reduce.js';
import { COLLECTIVE_TAGS } from '../tags.js';

/** Children of `rank` in the heap-ordered binary tree rooted at rank 0: 2r + 1 and 2r + 2. */
export function binaryTreeChildren(rank: number, size: number): number[] {
  return [2 * rank + 1, 2 * rank + 2].filter((c) => c < size);
}

/**
 * Binary-tree reduce to rank 0, in place: each rank combines its children's buffers (left, then
 * right) into its own and passes the result to its parent ⌊(r − 1)/2⌋. On return rank 0 holds
 * the reduction; other ranks hold partial results.
 */
export async function binaryTreeReduce(link: PeerLink, buffer: NumericArray, op: ReduceOp, options?: CallOptions): Promise<void> {
  const children = binaryTreeChildren(link.rank, link.size);
  if (children.length > 0) {
    const scratch = scratchLike(buffer, buffer.length);
    for (const child of children) {
      await link.recvInto(child, COLLECTIVE_TAGS.binaryTreeReduce, scratch, options);
      combineInto(buffer, scratch, op);
    }
  }
  if (link.rank > 0) await link.send((link.rank - 1) >> 1, COLLECTIVE_TAGS.binaryTreeReduce, buffer, options);
}

/** Binary-tree broadcast from rank 0, in place: receive from the parent, pass to the children. */
export async function binaryTreeBroadcast(link: PeerLink, buffer: ArrayBufferView, options?: CallOptions): Promise<void> {
  if (link.rank > 0) await link.recvInto((link.rank - 1) >> 1, COLLECTIVE_TAGS.binaryTreeBroadcast, buffer, options);
  for (const child of binaryTreeChildren(link.rank, link.size)) await link.send(child, COLLECTIVE_TAGS.binaryTreeBroadcast, buffer, options);
}

/**
 * Binary-tree allreduce, in place: reduce up the tree to rank 0, then broadcast back down. Time
 * 2α·log₂ n + 2β·log₂ n·N as Table III of Tang et al. (2020) prints it; every rank ends with
 * rank 0's bits.
 */
export async function binaryTreeAllreduce(link: PeerLink, buffer: NumericArray, op: ReduceOp, options?: CallOptions): Promise<void> {
  if (link.size === 1) return;
  await binaryTreeReduce(link, buffer, op, options);
  await binaryTreeBroadcast(link, buffer, options);
}
