import { NonFiniteError, type ParamLayout } from '@syncopate/core';

/** The first NaN or ±Inf in `buffer`, or -1. Multiplying by zero turns exactly those into NaN. */
export function firstNonFinite(buffer: Float32Array): number {
  for (let i = 0; i < buffer.length; i++) {
    const v = buffer[i]!;
    if (v * 0 !== 0) return i;
  }
  return -1;
}

/** A {@link NonFiniteError} naming the tensor of `layout` that holds flat index `index`. */
export function nonFiniteError(what: string, layout: ParamLayout, buffer: Float32Array, index: number, step: number): NonFiniteError {
  const entry = layout.entries.find((e) => index >= e.offset && index < e.offset + e.length);
  const where = entry ? `${what} of tensor '${entry.name}'` : what;
  return new NonFiniteError(where, entry ? index - entry.offset : index, buffer[index]!, step);
}
