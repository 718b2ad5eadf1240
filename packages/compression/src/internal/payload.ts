/**
 * The one payload format every compressor writes: a 16-byte header, then the compressor's body.
 *
 * ```
 * offset  size  field
 *      0     2  magic 'S' 'Y'
 *      2     1  format version (1)
 *      3     1  compressor id (see compressor-ids.ts)
 *      4     4  element count of the dense buffer, uint32 little-endian
 *      8     4  body length in bytes, uint32 little-endian
 *     12     4  CRC-32 of bytes 0..11 followed by the body
 *     16     …  body
 * ```
 *
 * The body starts at a 4-byte boundary, so 32-bit sections inside it are read as typed-array
 * views without copying when the payload itself is aligned (it is copied once otherwise). Every
 * multi-byte value is little-endian; big-endian platforms are refused.
 */
import { PayloadError } from '@syncopate/core';
import { CRC32_START, crc32Finish, crc32Update } from './checksum.js';
import { compressorNameOf } from './compressor-ids.js';

/** Bytes before the body. */
export const HEADER_BYTES = 16;
/** The payload format version this build writes and reads. */
export const PAYLOAD_VERSION = 1;
const MAGIC_0 = 0x53; // 'S'
const MAGIC_1 = 0x59; // 'Y'
const MAX_COUNT = 0xffffffff;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** What a payload header says. */
export interface PayloadHeader {
  readonly version: number;
  readonly compressorId: number;
  /** Name of the compressor that wrote it. */
  readonly compressor: string;
  readonly count: number;
  readonly bodyLength: number;
  readonly checksum: number;
}

/** A new payload with its header written (checksum still zero) and a zeroed body of `bodyLength` bytes. */
export function createPayload(compressorId: number, count: number, bodyLength: number): Uint8Array {
  if (!LITTLE_ENDIAN) throw new PayloadError('compression payloads need a little-endian platform');
  if (count > MAX_COUNT) throw new PayloadError(`a payload holds at most ${MAX_COUNT} elements, got ${count}`);
  const payload = new Uint8Array(HEADER_BYTES + bodyLength);
  const view = new DataView(payload.buffer);
  payload[0] = MAGIC_0;
  payload[1] = MAGIC_1;
  payload[2] = PAYLOAD_VERSION;
  payload[3] = compressorId;
  view.setUint32(4, count, true);
  view.setUint32(8, bodyLength, true);
  return payload;
}

/** The body of a payload made by {@link createPayload} (a view). */
export function bodyOf(payload: Uint8Array): Uint8Array {
  return payload.subarray(HEADER_BYTES);
}

/** Write the checksum once the body is complete; returns `payload`. */
export function sealPayload(payload: Uint8Array): Uint8Array {
  const crc = crc32Finish(crc32Update(crc32Update(CRC32_START, payload, 0, 12), payload, HEADER_BYTES, payload.length));
  new DataView(payload.buffer, payload.byteOffset, payload.byteLength).setUint32(12, crc, true);
  return payload;
}

/**
 * Read a payload's header without checking its checksum or its body (for tools and messages).
 * Throws a `PayloadError` if it is too short or not a payload at all.
 */
export function readPayloadHeader(payload: Uint8Array): PayloadHeader {
  if (!(payload instanceof Uint8Array)) throw new PayloadError(`a payload must be a Uint8Array, got ${typeof payload}`);
  if (payload.length < HEADER_BYTES) throw new PayloadError(`payload is truncated: ${payload.length} bytes, the header alone needs ${HEADER_BYTES}`);
  if (payload[0] !== MAGIC_0 || payload[1] !== MAGIC_1) throw new PayloadError('not a Syncopate compression payload (bad magic bytes)');
  const view = new DataView(payload.buffer, payload.byteOffset, HEADER_BYTES);
  const compressorId = payload[3]!;
  return {
    version: payload[2]!,
    compressorId,
    compressor: compressorNameOf(compressorId),
    count: view.getUint32(4, true),
    bodyLength: view.getUint32(8, true),
    checksum: view.getUint32(12, true),
  };
}

/**
 * Check a payload end to end (magic, version, length, checksum, compressor, element count) and
 * return its body, 4-byte aligned. `owner` names the decoding compressor in messages.
 */
export function openPayload(payload: Uint8Array, compressorId: number, count: number, owner: string): Uint8Array {
  const header = readPayloadHeader(payload);
  if (header.version !== PAYLOAD_VERSION) {
    throw new PayloadError(`${owner}: payload format version ${header.version} is not supported (this build reads version ${PAYLOAD_VERSION})`);
  }
  const actual = payload.length - HEADER_BYTES;
  if (header.bodyLength !== actual) {
    throw new PayloadError(`${owner}: payload is truncated or padded: the header announces a ${header.bodyLength}-byte body but ${actual} bytes follow it`);
  }
  const crc = crc32Finish(crc32Update(crc32Update(CRC32_START, payload, 0, 12), payload, HEADER_BYTES, payload.length));
  if (crc !== header.checksum) {
    throw new PayloadError(`${owner}: payload is corrupted: CRC-32 is ${hex(crc)} but the header says ${hex(header.checksum)}`);
  }
  if (header.compressorId !== compressorId) {
    throw new PayloadError(`${owner}: payload was written by ${header.compressor}, not by ${compressorNameOf(compressorId)}`);
  }
  if (header.count !== count) {
    throw new PayloadError(`${owner}: payload holds ${header.count} elements but the output buffer has ${count}`);
  }
  const body = payload.subarray(HEADER_BYTES);
  return (body.byteOffset & 3) === 0 ? body : body.slice();
}

/** Refuse a body whose length is not what the header's element count implies. */
export function expectBodyLength(body: Uint8Array, expected: number, owner: string, what: string): void {
  if (body.length !== expected) {
    throw new PayloadError(`${owner}: payload body is ${body.length} bytes but ${what} needs ${expected}`);
  }
}

/** `length` float32 values at `offset` bytes into an aligned body. */
export function floatsAt(body: Uint8Array, offset: number, length: number): Float32Array {
  return new Float32Array(body.buffer, body.byteOffset + offset, length);
}

/** `length` uint32 values at `offset` bytes into an aligned body. */
export function uint32sAt(body: Uint8Array, offset: number, length: number): Uint32Array {
  return new Uint32Array(body.buffer, body.byteOffset + offset, length);
}

/** Round a byte count up to a multiple of 4, so the next section stays aligned. */
export function align4(bytes: number): number {
  return (bytes + 3) & ~3;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
