import { StateError, type Snapshot } from '@syncopate/core';

/** Reads typed fields of a snapshot, throwing a `StateError` naming the plugin and the field. */
export class StateFields {
  constructor(
    private readonly owner: string,
    private readonly snapshot: Snapshot,
  ) {
    if (snapshot === null || typeof snapshot !== 'object') throw new StateError(`${owner}: a snapshot must be an object`);
  }

  float32(field: string, length?: number): Float32Array {
    const value = this.snapshot[field];
    if (!(value instanceof Float32Array) || (length !== undefined && value.length !== length)) {
      const wanted = length === undefined ? 'a Float32Array' : `a Float32Array of ${length} elements`;
      throw new StateError(`${this.owner}: snapshot field '${field}' must be ${wanted}`);
    }
    return value;
  }

  float64(field: string, length: number): Float64Array {
    const value = this.snapshot[field];
    if (!(value instanceof Float64Array) || value.length !== length) {
      throw new StateError(`${this.owner}: snapshot field '${field}' must be a Float64Array of ${length} elements`);
    }
    return value;
  }

  number(field: string, check: (n: number) => boolean = Number.isFinite, what = 'a finite number'): number {
    const value = this.snapshot[field];
    if (typeof value !== 'number' || !check(value)) throw new StateError(`${this.owner}: snapshot field '${field}' must be ${what}, got ${String(value)}`);
    return value;
  }

  integer(field: string, min = 0): number {
    return this.number(field, (n) => Number.isInteger(n) && n >= min, `an integer >= ${min}`);
  }

  boolean(field: string): boolean {
    const value = this.snapshot[field];
    if (typeof value !== 'boolean') throw new StateError(`${this.owner}: snapshot field '${field}' must be true or false, got ${String(value)}`);
    return value;
  }
}
