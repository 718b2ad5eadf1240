import type { NumericArray, ReduceOp } from '@syncopate/core';

/** `target[i] ← target[i] ⊕ source[i]` for every i, with ⊕ the sum, maximum or minimum. */
export function combineInto(target: NumericArray, source: NumericArray, op: ReduceOp): void {
  const n = target.length;
  if (op === 'sum') {
    for (let i = 0; i < n; i++) target[i] += source[i]!;
  } else if (op === 'max') {
    for (let i = 0; i < n; i++) if (source[i]! > target[i]! || Number.isNaN(source[i]!)) target[i] = source[i]!;
  } else {
    for (let i = 0; i < n; i++) if (source[i]! < target[i]! || Number.isNaN(source[i]!)) target[i] = source[i]!;
  }
}

/** A new, empty array of the same type as `like` with `length` elements. */
export function scratchLike<T extends NumericArray>(like: T, length: number): T {
  const ctor = like.constructor as new (length: number) => T;
  return new ctor(length);
}

/** Bytes of a view (same memory). */
export function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
