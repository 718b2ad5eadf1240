import type { CollectiveChannel } from './channel.js';
import { ringAllgather } from './ring-allgather.js';

/** The communicator a rank joins after a split. */
export interface SplitResult {
  /** Parent-communicator ranks of the members, in their new rank order. */
  readonly members: number[];
  /** First of the two context ids of the new communicator. */
  readonly context: number;
  /** The next context id no communicator of any parent rank has used. */
  readonly nextContext: number;
}

/**
 * Splits a communicator like `MPI_Comm_split`: ranks that pass the same `color` form a new
 * communicator, ordered by `key` then by parent rank. Every rank contributes (color, key, its
 * next free context id); the new communicators take context ids above the largest of those, two
 * per colour, so no pair of ranks ever shares a context between two communicators.
 */
export async function splitCommunicator(channel: CollectiveChannel, color: number, key: number, nextContext: number): Promise<SplitResult> {
  const mine = new Int32Array([color, key, nextContext]);
  const all = (await ringAllgather(channel, new Uint8Array(mine.buffer))).map((bytes, rank) => {
    const [c, k, next] = new Int32Array(bytes.slice().buffer);
    return { rank, color: c!, key: k!, next: next! };
  });
  const colors = [...new Set(all.map((e) => e.color))].sort((a, b) => a - b);
  const base = Math.max(...all.map((e) => e.next));
  const members = all
    .filter((e) => e.color === color)
    .sort((a, b) => a.key - b.key || a.rank - b.rank)
    .map((e) => e.rank);
  return { members, context: base + 2 * colors.indexOf(color), nextContext: base + 2 * colors.length };
}
