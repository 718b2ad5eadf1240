import { PayloadError } from '@syncopate/core';

/** What a worker asks of a server. */
export const enum RequestKind {
  /** Apply this delta of my parameters (computed from the server parameters I last pulled). */
  Push = 1,
  /** I pause (the run is checkpointing); reply with your parameters once every worker has paused. */
  Pause = 2,
  /** I am done training; reply with your final parameters once every worker is done. */
  Done = 3,
}

/**
 * Header of every parameter-server message: four float64 numbers, then the float32 values.
 * Request: [kind, clock (pushes so far), version the delta was computed from, 0].
 * Reply:   [clock of the worker, slowest clock among workers, server version, 1 if applied else 0].
 */
const HEADER = 4;
const HEADER_BYTES = 8 * HEADER;

/** One decoded message. `values` is a view into the message bytes. */
export interface ServerMessage {
  readonly header: Float64Array;
  readonly values: Float32Array;
}

/** Encode `header` (four numbers) and `values` into one message. */
export function encodeMessage(header: readonly [number, number, number, number], values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES + 4 * values.length);
  new Float64Array(bytes.buffer, 0, HEADER).set(header);
  new Float32Array(bytes.buffer, HEADER_BYTES, values.length).set(values);
  return bytes;
}

/**
 * Decode a message of a shard of `length` values (or of none, when `orEmpty`: pause and done
 * requests carry no values); a wrong length is a `PayloadError` naming the peer.
 */
export function decodeMessage(bytes: Uint8Array, length: number, from: string, orEmpty = false): ServerMessage {
  if (orEmpty && bytes.byteLength === HEADER_BYTES) length = 0;
  if (bytes.byteLength !== HEADER_BYTES + 4 * length) {
    throw new PayloadError(`parameter server: message from ${from} has ${bytes.byteLength} bytes, expected ${HEADER_BYTES + 4 * length} (${length} values)`);
  }
  const copy = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  return {
    header: new Float64Array(copy.buffer, copy.byteOffset, HEADER),
    values: new Float32Array(copy.buffer, copy.byteOffset + HEADER_BYTES, length),
  };
}
