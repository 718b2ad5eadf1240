import type { NumericArray } from '@syncopate/core';

/** Offsets (length `parts + 1`) splitting `length` elements into `parts` blocks whose sizes differ by at most one. */
export function evenOffsets(length: number, parts: number): number[] {
  const base = Math.floor(length / parts);
  const extra = length % parts;
  const offsets = [0];
  for (let b = 0; b < parts; b++) offsets.push(offsets[b]! + base + (b < extra ? 1 : 0));
  return offsets;
}

/** Offsets of consecutive blocks of `counts[b]` elements. */
export function offsetsFromCounts(counts: readonly number[]): number[] {
  const offsets = [0];
  for (const count of counts) offsets.push(offsets[offsets.length - 1]! + count);
  return offsets;
}

/** Block `b` of `array` as a typed view. */
export function block<T extends NumericArray>(array: T, offsets: readonly number[], b: number): T {
  return array.subarray(offsets[b]!, offsets[b + 1]!) as T;
}

/** The bytes of any view (no copy). */
export function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** `bytes` read as elements of `like`'s type; copies only when the bytes are misaligned. */
export function elementsOf<T extends NumericArray>(like: T, bytes: Uint8Array): T {
  const Ctor = like.constructor as { new (buffer: ArrayBufferLike, offset: number, length: number): T; BYTES_PER_ELEMENT: number };
  const size = Ctor.BYTES_PER_ELEMENT;
  const aligned = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  return new Ctor(aligned.buffer, aligned.byteOffset, aligned.byteLength / size);
}

/** `((a % n) + n) % n`. */
export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
