/**
 * Byte-exact encoding of plugin state (core's `StateValue`): the structure goes into JSON, typed
 * arrays go raw into a binary section after it, and a CRC-32 of everything closes the record, so
 * a truncated or corrupted checkpoint is refused instead of resuming from garbage.
 *
 * Layout (little-endian): "SYNCKPT1" · u32 JSON length · JSON · typed-array bytes · u32 CRC-32.
 */
import { StateError, crc32, type StateValue } from '@syncopate/core';

const MAGIC = 'SYNCKPT1';
const ARRAY_TYPES = {
  f32: Float32Array,
  f64: Float64Array,
  i32: Int32Array,
  u32: Uint32Array,
  u8: Uint8Array,
} as const;
type ArrayTag = keyof typeof ARRAY_TYPES;
type TypedState = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

function tagOf(value: TypedState): ArrayTag {
  if (value instanceof Float32Array) return 'f32';
  if (value instanceof Float64Array) return 'f64';
  if (value instanceof Int32Array) return 'i32';
  if (value instanceof Uint32Array) return 'u32';
  return 'u8';
}

/** Encode a tree of state values to bytes. Throws a `StateError` naming the path of anything else. */
export function encodeState(state: { readonly [key: string]: StateValue }): Uint8Array {
  const chunks: Uint8Array[] = [];
  let blobLength = 0;
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : { $n: Object.is(value, -0) ? '-0' : String(value) };
    if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
    if (ArrayBuffer.isView(value) && !(value instanceof DataView) && (value.constructor as unknown) !== Int8Array) {
      const typed = value as TypedState;
      const tag = tagOf(typed);
      if ((ARRAY_TYPES[tag] as unknown) !== typed.constructor) throw new StateError(`state at '${path}' is a ${typed.constructor.name}, which checkpoints cannot hold`);
      const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
      chunks.push(bytes);
      const ref = { $t: tag, o: blobLength, n: typed.length };
      blobLength += bytes.length;
      return ref;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`));
    if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (k.startsWith('$')) throw new StateError(`state key '${path}.${k}' starts with '$', which checkpoints reserve`);
        out[k] = walk(v, `${path}.${k}`);
      }
      return out;
    }
    throw new StateError(`state at '${path}' is ${value === undefined ? 'undefined' : `a ${typeof value}`}, which checkpoints cannot hold`);
  };
  const json = new TextEncoder().encode(JSON.stringify(walk(state, 'state')));
  const total = MAGIC.length + 4 + json.length + blobLength + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(MAGIC.length, json.length, true);
  let at = MAGIC.length + 4;
  out.set(json, at);
  at += json.length;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  view.setUint32(at, crc32(out, 0, at), true);
  return out;
}

/** Decode bytes written by {@link encodeState}; `source` names the file in errors. */
export function decodeState(bytes: Uint8Array, source = 'checkpoint'): { [key: string]: StateValue } {
  const headerLength = MAGIC.length + 4;
  if (bytes.length < headerLength + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new StateError(`${source} is not a Syncopate checkpoint (bad header)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stored = view.getUint32(bytes.length - 4, true);
  const actual = crc32(bytes, 0, bytes.length - 4);
  if (stored !== actual) {
    throw new StateError(`${source} is corrupt: CRC-32 is ${actual.toString(16)}, the file says ${stored.toString(16)}`);
  }
  const jsonLength = view.getUint32(MAGIC.length, true);
  const blobStart = headerLength + jsonLength;
  const blobEnd = bytes.length - 4;
  if (blobStart > blobEnd) throw new StateError(`${source} is truncated`);
  const tree = JSON.parse(new TextDecoder().decode(bytes.subarray(headerLength, blobStart))) as unknown;
  const walk = (value: unknown): StateValue => {
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.$n === 'string') return Number(record.$n);
      if (typeof record.$t === 'string') {
        const Type = ARRAY_TYPES[record.$t as ArrayTag];
        const offset = record.o as number;
        const length = record.n as number;
        const end = blobStart + offset + length * (Type?.BYTES_PER_ELEMENT ?? 1);
        if (!Type || end > blobEnd) throw new StateError(`${source} has a bad array reference`);
        // Copy into a fresh, aligned buffer (the input may be a pooled Node Buffer).
        return new Type(new Uint8Array(bytes.subarray(blobStart + offset, end)).buffer);
      }
      const out: Record<string, StateValue> = {};
      for (const [k, v] of Object.entries(record)) out[k] = walk(v);
      return out;
    }
    return value as StateValue;
  };
  return walk(tree) as { [key: string]: StateValue };
}
