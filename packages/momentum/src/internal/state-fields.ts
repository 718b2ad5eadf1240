import { StateError, type Snapshot } from '@syncopate/core';

/**
 * Read a flat buffer out of a snapshot, as a copy, or throw a {@link StateError} naming the
 * plugin, the field, and what was expected. `length`, when given, is the length the plugin holds.
 */
export function float32Field(owner: string, snapshot: Snapshot, field: string, length?: number): Float32Array {
  return check(owner, snapshot[field], field, Float32Array, length) as Float32Array;
}

/** {@link float32Field} for a Float64Array field. */
export function float64Field(owner: string, snapshot: Snapshot, field: string, length?: number): Float64Array {
  return check(owner, snapshot[field], field, Float64Array, length) as Float64Array;
}

function check(
  owner: string,
  value: unknown,
  field: string,
  kind: typeof Float32Array | typeof Float64Array,
  length: number | undefined,
): Float32Array | Float64Array {
  if (!(value instanceof kind)) {
    throw new StateError(`${owner}: snapshot field '${field}' must be a ${kind.name}, got ${describe(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new StateError(`${owner}: snapshot field '${field}' holds ${value.length} elements, the model has ${length}`);
  }
  return value.slice();
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value;
}

/** Throw a {@link StateError} when a hook runs before `init` or on a buffer of another length. */
export function requireInit<T>(owner: string, state: T | undefined, length?: number, expected?: number): T {
  if (state === undefined) throw new StateError(`${owner}: init(parameters) must run before the first step`);
  if (length !== undefined && expected !== undefined && length !== expected) {
    throw new StateError(`${owner}: got ${length} parameters, init saw ${expected}`);
  }
  return state;
}
