/**
 * State that survives a checkpoint. Values must be plain data: numbers, strings, booleans,
 * typed arrays, arrays and plain objects of those. The trainer serialises them byte-exactly.
 */
export type StateValue =
  | number
  | string
  | boolean
  | null
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | Uint8Array
  | readonly StateValue[]
  | { readonly [key: string]: StateValue };

/** A plugin's checkpointable state. */
export type Snapshot = { readonly [key: string]: StateValue };

/**
 * Implemented by every plugin that holds state across steps (error-feedback memory, momentum
 * buffers, adaptive periods, RNG counters). `restore(snapshot())` must continue bit-for-bit.
 */
export interface Stateful {
  snapshot(): Snapshot;
  restore(snapshot: Snapshot): void;
}
