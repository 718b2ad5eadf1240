import { PayloadError } from '@syncopate/core';

/**
 * A sparse vector of a dense length `length`: `values[i]` sits at index `indices[i]`. Indices are
 * distinct; the functions here return them in ascending order.
 */
export interface SparseVector {
  readonly length: number;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

const HEADER = 8;

/** Wire form: u32 dense length, u32 count, then count int32 indices and count float32 values (little-endian). */
export function encodeSparse(vector: SparseVector): Uint8Array {
  const count = vector.indices.length;
  if (vector.values.length !== count) throw new PayloadError(`sparse vector: ${count} indices but ${vector.values.length} values`);
  const bytes = new Uint8Array(HEADER + 8 * count);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, vector.length, true);
  view.setUint32(4, count, true);
  for (let i = 0; i < count; i++) {
    view.setInt32(HEADER + 4 * i, vector.indices[i]!, true);
    view.setFloat32(HEADER + 4 * count + 4 * i, vector.values[i]!, true);
  }
  return bytes;
}

/** Decode {@link encodeSparse}'s form, checking its size and that every index is in range. */
export function decodeSparse(bytes: Uint8Array, from = 'payload'): SparseVector {
  if (bytes.length < HEADER) throw new PayloadError(`sparse vector from ${from}: ${bytes.length} bytes, fewer than the ${HEADER}-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  const count = view.getUint32(4, true);
  if (bytes.length !== HEADER + 8 * count) {
    throw new PayloadError(`sparse vector from ${from}: header says ${count} entries (${HEADER + 8 * count} bytes), got ${bytes.length} bytes`);
  }
  const indices = new Int32Array(count);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const index = view.getInt32(HEADER + 4 * i, true);
    if (index < 0 || index >= length) throw new PayloadError(`sparse vector from ${from}: index ${index} outside [0, ${length})`);
    indices[i] = index;
    values[i] = view.getFloat32(HEADER + 4 * count + 4 * i, true);
  }
  return { length, indices, values };
}

/**
 * The sum of sparse vectors, in index order (the union of their supports). Values at one index
 * are added in the order the vectors are given, so every rank that merges the same list in the
 * same order gets the same bits.
 */
export function mergeSparse(vectors: readonly SparseVector[]): SparseVector {
  const length = vectors[0]?.length ?? 0;
  const sums = new Map<number, number>();
  for (const v of vectors) {
    if (v.length !== length) throw new PayloadError(`sparse vectors of dense lengths ${length} and ${v.length} cannot be merged`);
    for (let i = 0; i < v.indices.length; i++) {
      const index = v.indices[i]!;
      sums.set(index, Math.fround((sums.get(index) ?? 0) + v.values[i]!));
    }
  }
  const indices = Int32Array.from([...sums.keys()].sort((a, b) => a - b));
  const values = Float32Array.from(indices, (i) => sums.get(i)!);
  return { length, indices, values };
}

/**
 * The `k` entries of largest magnitude (ties: the lower index wins), in index order: the
 * re-sparsification step of gTop-k.
 */
export function sparseTopK(vector: SparseVector, k: number): SparseVector {
  const order = Array.from(vector.indices.keys());
  if (order.length > k) {
    order.sort((a, b) => Math.abs(vector.values[b]!) - Math.abs(vector.values[a]!) || vector.indices[a]! - vector.indices[b]!);
    order.length = k;
  }
  const kept = order.sort((a, b) => vector.indices[a]! - vector.indices[b]!);
  return { length: vector.length, indices: Int32Array.from(kept, (i) => vector.indices[i]!), values: Float32Array.from(kept, (i) => vector.values[i]!) };
}

/** The dense form of `vector` (a new Float32Array of `vector.length`). */
export function toDense(vector: SparseVector): Float32Array {
  const dense = new Float32Array(vector.length);
  for (let i = 0; i < vector.indices.length; i++) dense[vector.indices[i]!] += vector.values[i]!;
  return dense;
}
