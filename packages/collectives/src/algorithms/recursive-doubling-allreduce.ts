import type { CallOptions, NumericArray, ReduceOp } from '@syncopate/core';
import { sendRecvInto, type PeerLink } from '../peer-link.js';
import { combineInto, scratchLike } from '../reduce.js';
import { COLLECTIVE_TAGS } from '../tags.js';

/** Largest power of two ≤ n (n ≥ 1). */
export function largestPowerOfTwo(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/**
 * Recursive-doubling allreduce, in place: in round k every rank swaps its whole buffer with the
 * rank whose index differs in bit k and combines, so after log₂ n rounds all hold the reduction.
 * Time α·log₂ n + β·log₂ n·N (Table III of Tang et al. 2020): few messages, good for small buffers.
 *
 * When n is not a power of two, with p the largest power of two below n and e = n − p, the first
 * 2e ranks pair up first (each even rank hands its buffer to the odd rank after it and sits out),
 * the p remaining ranks run the rounds, and the odd ranks hand the result back (Thakur, Rabenseifner
 * & Gropp, "Optimization of Collective Communication Operations in MPICH", IJHPCA 2005). Both
 * partners of a swap compute a ⊕ b in the same order per element, so all ranks end bit-identical.
 */
export async function recursiveDoublingAllreduce(link: PeerLink, buffer: NumericArray, op: ReduceOp, options?: CallOptions): Promise<void> {
  const n = link.size;
  if (n === 1) return;
  const tag = COLLECTIVE_TAGS.recursiveDoubling;
  const p = largestPowerOfTwo(n);
  const extra = n - p;
  const rank = link.rank;
  const scratch = scratchLike(buffer, buffer.length);
  // Fold the first 2e ranks into e.
  if (rank < 2 * extra) {
    if (rank % 2 === 0) {
      await link.send(rank + 1, tag, buffer, options);
      await link.recvInto(rank + 1, tag, buffer, options);
      return;
    }
    await link.recvInto(rank - 1, tag, scratch, options);
    combineInto(buffer, scratch, op);
  }
  const virtualRank = rank < 2 * extra ? rank >> 1 : rank - extra;
  const realRank = (v: number) => (v < extra ? 2 * v + 1 : v + extra);
  for (let mask = 1; mask < p; mask <<= 1) {
    const partner = realRank(virtualRank ^ mask);
    await sendRecvInto(link, partner, buffer, partner, scratch, tag, options);
    // Lower virtual rank's data first on both sides, so both partners round identically.
    if ((virtualRank & mask) === 0) combineInto(buffer, scratch, op);
    else {
      combineInto(scratch, buffer, op);
      buffer.set(scratch);
    }
  }
  if (rank < 2 * extra) await link.send(rank - 1, tag, buffer, options);
}
