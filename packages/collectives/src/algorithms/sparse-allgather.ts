import { LengthMismatchError } from '@syncopate/core';
import type { ByteAllgather } from './majority-vote.js';
import { decodeSparse, encodeSparse, mergeSparse, type SparseVector } from './sparse-vector.js';

/**
 * Sparse aggregation: gather every rank's (index, value) pairs and merge them into their exact
 * sum over the union of supports. Each rank sends k(32 + 32) bits and receives them from the
 * n − 1 others — the kn(log N + 32) traffic of Table IV of Tang et al. (2020), with 32-bit
 * indices. The result may hold up to n·k entries; {@link globalTopK} keeps it at k.
 */
export async function sparseAllgather(allgather: ByteAllgather, vector: SparseVector): Promise<SparseVector> {
  const payloads = await allgather(encodeSparse(vector));
  const vectors = payloads.map((p, rank) => decodeSparse(p, `rank ${rank}`));
  const lengths = new Map(vectors.map((v, rank) => [rank, v.length] as const));
  if (new Set(lengths.values()).size > 1) throw new LengthMismatchError('sparseAllgather', lengths);
  return mergeSparse(vectors);
}
