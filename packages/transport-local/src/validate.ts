import { MAX_TAG, TransportError, formatValue, type NumericArray, type ReduceOp } from '@syncopate/core';

/** Checks that `value` is a rank of a communicator of `size` ranks. */
export function checkRank(operation: string, name: string, value: unknown, size: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= size) {
    throw new TransportError(`${operation}: ${name} must be a rank in [0, ${size - 1}], got ${formatValue(value)}`);
  }
  return value;
}

/** Checks that `tag` is an integer in [0, MAX_TAG]. */
export function checkTag(operation: string, tag: unknown): number {
  if (typeof tag !== 'number' || !Number.isInteger(tag) || tag < 0 || tag > MAX_TAG) {
    throw new TransportError(`${operation}: tag must be an integer in [0, ${MAX_TAG}], got ${formatValue(tag)}`);
  }
  return tag;
}

/** Checks that `data` is an ArrayBufferView (a typed array or a DataView). */
export function checkView(operation: string, name: string, data: unknown): ArrayBufferView {
  if (!ArrayBuffer.isView(data)) throw new TransportError(`${operation}: ${name} must be a typed array or DataView, got ${formatValue(data)}`);
  return data;
}

/** Checks an allreduce buffer and op. */
export function checkReducible(operation: string, buffer: unknown, op: unknown): [NumericArray, ReduceOp] {
  if (!(buffer instanceof Float32Array || buffer instanceof Float64Array || buffer instanceof Int32Array)) {
    throw new TransportError(`${operation}: buffer must be a Float32Array, Float64Array or Int32Array, got ${formatValue(buffer)}`);
  }
  if (op !== 'sum' && op !== 'max' && op !== 'min') throw new TransportError(`${operation}: op must be 'sum', 'max' or 'min', got ${formatValue(op)}`);
  return [buffer, op];
}

/** Checks that `value` is an int32 (split colours and keys). */
export function checkInt32(operation: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new TransportError(`${operation}: ${name} must be a 32-bit integer, got ${formatValue(value)}`);
  }
  return value;
}
