/**
 * Per-key float buffers that survive a checkpoint: the memory of error feedback and of momentum
 * correction. Snapshots copy the buffers, so a restored run continues bit for bit.
 */
import { LayoutMismatchError, StateError, type Snapshot, type StateValue } from '@syncopate/core';

/** Float buffers by key (`gradient/bucket-0`, `delta/bucket-3`…), created zeroed on first use. */
export class KeyedBuffers {
  private readonly buffers = new Map<string, Float32Array>();

  constructor(private readonly owner: string) {}

  /** The buffer of `key` with `length` elements; made zeroed if absent, refused if its length differs. */
  get(key: string, length: number): Float32Array {
    let buffer = this.buffers.get(key);
    if (!buffer) {
      buffer = new Float32Array(length);
      this.buffers.set(key, buffer);
    } else {
      this.check(key, buffer, length);
    }
    return buffer;
  }

  /** The buffer of `key` if one exists (its length checked against `length`). */
  find(key: string, length: number): Float32Array | undefined {
    const buffer = this.buffers.get(key);
    if (buffer) this.check(key, buffer, length);
    return buffer;
  }

  delete(key?: string): void {
    if (key === undefined) this.buffers.clear();
    else this.buffers.delete(key);
  }

  private check(key: string, buffer: Float32Array, length: number): void {
    if (buffer.length !== length) {
      throw new LayoutMismatchError(`${this.owner}: '${key}' holds ${buffer.length} elements but a buffer of ${length} was passed`);
    }
  }

  /** Copies of every buffer, by key. */
  toState(): { [key: string]: StateValue } {
    const out: { [key: string]: StateValue } = {};
    for (const [key, buffer] of this.buffers) out[key] = buffer.slice();
    return out;
  }

  /** Replace every buffer with copies of those in `state`. */
  fromState(state: StateValue | undefined, field: string): void {
    if (state === null || typeof state !== 'object' || Array.isArray(state) || ArrayBuffer.isView(state)) {
      throw new StateError(`${this.owner}: snapshot field '${field}' must map keys to Float32Arrays`);
    }
    const entries = Object.entries(state as { [key: string]: StateValue });
    for (const [key, value] of entries) {
      if (!(value instanceof Float32Array)) throw new StateError(`${this.owner}: snapshot entry '${field}.${key}' is not a Float32Array`);
    }
    this.buffers.clear();
    for (const [key, value] of entries) this.buffers.set(key, (value as Float32Array).slice());
  }
}

/** Check a snapshot's format tag before restoring it. */
export function expectFormat(snapshot: Snapshot, format: string, owner: string): void {
  if (snapshot === null || typeof snapshot !== 'object' || snapshot.format !== format) {
    const got = snapshot && typeof snapshot === 'object' ? String(snapshot.format) : String(snapshot);
    throw new StateError(`${owner}: cannot restore a snapshot of format '${got}' (expected '${format}')`);
  }
}
