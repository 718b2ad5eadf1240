import { MAX_TAG, TransportError, formatValue, type NumericArray, type ReduceOp } from '@syncopate/core';

/** The most bytes one MPI call moves (its counts are C ints). */
export const MAX_MPI_BYTES = 0x7fffffff;

/** `value` as a rank of a communicator of `size` ranks, or a TransportError. */
export function checkRank(operation: string, name: string, value: unknown, size: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= size) {
    throw new TransportError(`${operation}: ${name} must be a rank in [0, ${size - 1}], got ${formatValue(value)}`);
  }
  return value;
}

/** `tag` as an integer in [0, MAX_TAG], or a TransportError. */
export function checkTag(operation: string, tag: unknown): number {
  if (typeof tag !== 'number' || !Number.isInteger(tag) || tag < 0 || tag > MAX_TAG) {
    throw new TransportError(`${operation}: tag must be an integer in [0, ${MAX_TAG}], got ${formatValue(tag)}`);
  }
  return tag;
}

/** `data` as an ArrayBufferView that one MPI call can move, or a TransportError. */
export function checkView(operation: string, name: string, data: unknown): ArrayBufferView {
  if (!ArrayBuffer.isView(data)) throw new TransportError(`${operation}: ${name} must be a typed array or DataView, got ${formatValue(data)}`);
  if (data.byteLength > MAX_MPI_BYTES) {
    throw new TransportError(`${operation}: ${name} has ${data.byteLength} bytes; one MPI call moves at most ${MAX_MPI_BYTES}`);
  }
  return data;
}

/** `buffer` as a Float32Array, Float64Array or Int32Array, or a TransportError. */
export function checkNumeric(operation: string, name: string, buffer: unknown): NumericArray {
  if (!(buffer instanceof Float32Array || buffer instanceof Float64Array || buffer instanceof Int32Array)) {
    throw new TransportError(`${operation}: ${name} must be a Float32Array, Float64Array or Int32Array, got ${formatValue(buffer)}`);
  }
  checkView(operation, name, buffer);
  return buffer;
}

/** `op` as a ReduceOp, or a TransportError. */
export function checkOp(operation: string, op: unknown): ReduceOp {
  if (op !== 'sum' && op !== 'max' && op !== 'min') throw new TransportError(`${operation}: op must be 'sum', 'max' or 'min', got ${formatValue(op)}`);
  return op;
}

/** `counts` as one non-negative integer per rank adding up to `total`, or a TransportError. */
export function checkCounts(operation: string, counts: unknown, size: number, total: number): readonly number[] {
  const ok =
    Array.isArray(counts) &&
    counts.length === size &&
    counts.every((c) => typeof c === 'number' && Number.isInteger(c) && c >= 0) &&
    counts.reduce((a: number, b: number) => a + b, 0) === total;
  if (!ok) {
    throw new TransportError(`${operation}: counts must be ${size} non-negative integers adding up to ${total}, got ${formatValue(counts)}`);
  }
  return counts as readonly number[];
}

/** `value` as an integer in [min, max], or a TransportError. */
export function checkInteger(operation: string, name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TransportError(`${operation}: ${name} must be an integer in [${min}, ${max}], got ${formatValue(value)}`);
  }
  return value;
}

/** `float32`, `float64` or `int32`, for messages. */
export function elementName(buffer: NumericArray): string {
  return buffer instanceof Float32Array ? 'float32' : buffer instanceof Float64Array ? 'float64' : 'int32';
}
