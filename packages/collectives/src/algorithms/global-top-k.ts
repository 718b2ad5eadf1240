import { LengthMismatchError, OptionError, type CallOptions } from '@syncopate/core';
import type { PeerLink } from '../peer-link.js';
import { COLLECTIVE_TAGS } from '../tags.js';
import { largestPowerOfTwo } from './recursive-doubling-allreduce.js';
import { decodeSparse, encodeSparse, mergeSparse, sparseTopK, type SparseVector } from './sparse-vector.js';

/**
 * gTop-k: a global top-k of the sum of every rank's k-sparse vector, with k-sparse messages all
 * the way (Shi et al., "A Distributed Synchronous SGD Algorithm with Global Top-k Sparsification
 * for Low Bandwidth Networks", ICDCS 2019). In each of log₂ n recursive-doubling rounds, partners
 * swap their current k-sparse vectors, add them and keep the k largest magnitudes, so each rank
 * sends k·log₂ n pairs instead of the k·(n − 1) of gathering everything. Entries dropped in an
 * early round are lost, so the result approximates the top-k of the exact sum (it equals it when
 * no round has more than k distinct indices). Every rank ends with the same vector; ranks beyond
 * the largest power of two fold in first and receive the result at the end.
 */
export async function globalTopK(link: PeerLink, vector: SparseVector, k: number, options?: CallOptions): Promise<SparseVector> {
  if (!Number.isInteger(k) || k < 0) throw new OptionError('globalTopK', 'k', `must be an integer >= 0, got ${k}`);
  const tag = COLLECTIVE_TAGS.globalTopK;
  const n = link.size;
  const rank = link.rank;
  let current = sparseTopK(mergeSparse([vector]), k);
  const exchange = async (peer: number, mine: SparseVector): Promise<SparseVector> => {
    const [, bytes] = await Promise.all([link.send(peer, tag, encodeSparse(mine), options), link.recv(peer, tag, options)]);
    const theirs = decodeSparse(bytes, `rank ${peer}`);
    if (theirs.length !== mine.length) throw new LengthMismatchError('globalTopK', new Map([[rank, mine.length], [peer, theirs.length]]));
    return theirs;
  };
  if (n === 1) return current;
  const p = largestPowerOfTwo(n);
  const extra = n - p;
  if (rank < 2 * extra && rank % 2 === 0) {
    await link.send(rank + 1, tag, encodeSparse(current), options);
    return decodeSparse(await link.recv(rank + 1, tag, options), `rank ${rank + 1}`);
  }
  if (rank < 2 * extra) {
    const folded = decodeSparse(await link.recv(rank - 1, tag, options), `rank ${rank - 1}`);
    current = sparseTopK(mergeSparse([folded, current]), k);
  }
  const virtualRank = rank < 2 * extra ? rank >> 1 : rank - extra;
  const realRank = (v: number) => (v < extra ? 2 * v + 1 : v + extra);
  for (let mask = 1; mask < p; mask <<= 1) {
    const theirs = await exchange(realRank(virtualRank ^ mask), current);
    // Lower virtual rank first on both sides, so both partners compute the same bits.
    const pair = (virtualRank & mask) === 0 ? [current, theirs] : [theirs, current];
    current = sparseTopK(mergeSparse(pair), k);
  }
  if (rank < 2 * extra) await link.send(rank - 1, tag, encodeSparse(current), options);
  return current;
}
