/**
 * The body shared by sparsifiers (top-k, threshold, DGC, gTop-k, Random-k with private masks):
 *
 * ```
 * uint32 k | uint32 index × k (strictly ascending) | float32 value × k
 * ```
 *
 * 4 + 8k bytes. Indices are full 32-bit words rather than ⌈log2 n⌉ bits: the survey's
 * `log N + 32` bits per element is ~20 % smaller for a 1e6-element bucket, but bit-packed
 * indices cost a shift per element on both sides and the decoder could no longer scatter
 * straight from a typed-array view.
 */
import { PayloadError } from '@syncopate/core';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, floatsAt, openPayload, sealPayload, uint32sAt } from './payload.js';

/** Payload size for `k` kept elements. */
export function sparseWireBytes(k: number): number {
  return HEADER_BYTES + 4 + 8 * k;
}

/** Encode `values[j]` at `indices[j]` (ascending) for a dense buffer of `count` elements. */
export function encodeSparse(compressorId: number, count: number, indices: Uint32Array, values: Float32Array): Uint8Array {
  const k = indices.length;
  const payload = createPayload(compressorId, count, 4 + 8 * k);
  const body = bodyOf(payload);
  uint32sAt(body, 0, 1)[0] = k;
  uint32sAt(body, 4, k).set(indices);
  floatsAt(body, 4 + 4 * k, k).set(values);
  return sealPayload(payload);
}

/** The elements of `input` at `indices`, times `scale`. */
export function valuesAt(input: Float32Array, indices: Uint32Array, scale = 1): Float32Array {
  const values = new Float32Array(indices.length);
  for (let j = 0; j < indices.length; j++) values[j] = input[indices[j]!]! * scale;
  return values;
}

/** The checked (indices, values) of a sparse payload for a dense buffer of `count` elements. */
export function openSparse(payload: Uint8Array, compressorId: number, count: number, owner: string): { indices: Uint32Array; values: Float32Array } {
  const body = openPayload(payload, compressorId, count, owner);
  if (body.length < 4) throw new PayloadError(`${owner}: sparse payload body is ${body.length} bytes, too short for its element count`);
  const k = uint32sAt(body, 0, 1)[0]!;
  if (k > count) throw new PayloadError(`${owner}: sparse payload claims ${k} kept elements of ${count}`);
  expectBodyLength(body, 4 + 8 * k, owner, `${k} index/value pairs`);
  const indices = uint32sAt(body, 4, k);
  let previous = -1;
  for (let j = 0; j < k; j++) {
    const index = indices[j]!;
    if (index <= previous || index >= count) {
      throw new PayloadError(`${owner}: sparse payload index ${index} at position ${j} is out of order or outside 0..${count - 1}`);
    }
    previous = index;
  }
  return { indices, values: floatsAt(body, 4 + 4 * k, k) };
}

/** Decode a sparse payload into `out` (zeros elsewhere). */
export function decodeSparse(payload: Uint8Array, compressorId: number, out: Float32Array, owner: string): void {
  const { indices, values } = openSparse(payload, compressorId, out.length, owner);
  out.fill(0);
  for (let j = 0; j < indices.length; j++) out[indices[j]!] = values[j]!;
}

/** Sum sparse payloads into `out` by scatter-add: no dense decode per payload. */
export function combineSparse(payloads: readonly Uint8Array[], compressorId: number, out: Float32Array, owner: string): void {
  const opened = payloads.map((p) => openSparse(p, compressorId, out.length, owner));
  out.fill(0);
  for (const { indices, values } of opened) {
    for (let j = 0; j < indices.length; j++) out[indices[j]!] += values[j]!;
  }
}
