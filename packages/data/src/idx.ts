import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { PayloadError } from '@syncopate/core';

/**
 * Reader for the IDX format of LeCun, Cortes & Burges' MNIST files ("The MNIST database of
 * handwritten digits", 1998), which Fashion-MNIST reuses.
 *
 * An IDX file is a 4-byte magic number `0x00 0x00 <type> <rank>`, then `rank` big-endian uint32
 * dimensions, then the values in row-major order. Only unsigned bytes (type `0x08`) occur in the
 * image and label files, so that is the only type read here.
 */

/** Type code of unsigned bytes in the IDX magic number. */
const UNSIGNED_BYTE = 0x08;

/** A decoded IDX tensor of unsigned bytes. */
export interface IdxTensor {
  /** Dimensions from the header, e.g. `[60000, 28, 28]`. */
  readonly dims: readonly number[];
  /** The values, row-major: a view into the decoded file, not a copy. */
  readonly data: Uint8Array;
}

/** A truncated, corrupted or unexpected IDX file. The message names the file and what is wrong. */
export class IdxFormatError extends PayloadError {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: not a valid IDX file: ${detail}`);
  }
}

/** Whether `bytes` starts with the gzip magic number `1f 8b`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decode an IDX file held in memory (gzip'd or plain). Checks the magic number, the element
 * type, the expected rank (when given) and that the file holds exactly the number of bytes the
 * header announces.
 *
 * @param source - names the file in error messages.
 * @example
 * ```ts
 * const labels = parseIdx(readFileSync('train-labels-idx1-ubyte.gz'), 'train labels', 1);
 * labels.dims; // [60000]
 * ```
 */
export function parseIdx(file: Uint8Array, source: string, expectedRank?: number): IdxTensor {
  let bytes: Uint8Array;
  try {
    bytes = isGzip(file) ? gunzipSync(file) : file;
  } catch (cause) {
    throw new IdxFormatError(source, `gzip data is corrupted (${(cause as Error).message})`);
  }
  if (bytes.length < 4) throw new IdxFormatError(source, `${bytes.length} bytes is shorter than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(source, `magic number starts with 0x${hex(bytes[0]!)}${hex(bytes[1]!)} instead of 0x0000`);
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw new IdxFormatError(source, `element type 0x${hex(bytes[2]!)} is not unsigned byte (0x08)`);
  }
  const rank = bytes[3]!;
  if (rank === 0) throw new IdxFormatError(source, 'rank 0 in the magic number');
  if (expectedRank !== undefined && rank !== expectedRank) {
    throw new IdxFormatError(source, `rank ${rank} where ${expectedRank} was expected (magic 0x0000080${expectedRank})`);
  }
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw new IdxFormatError(source, `header of rank ${rank} needs ${headerLength} bytes, file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const present = bytes.length - headerLength;
  if (present !== expected) {
    const what = present < expected ? 'truncated' : 'has trailing bytes';
    throw new IdxFormatError(source, `${what}: dims [${dims.join(', ')}] need ${expected} bytes of data, file has ${present}`);
  }
  return Object.freeze({ dims: Object.freeze(dims), data: bytes.subarray(headerLength) });
}

/** Read and decode an IDX file (gzip'd or plain) from disk. */
export function readIdxFile(path: string, expectedRank?: number): IdxTensor {
  return parseIdx(readFileSync(path), path, expectedRank);
}

/**
 * Encode unsigned bytes as an IDX file (plain, not gzip'd). The inverse of {@link parseIdx}; used
 * to write small fixtures.
 */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) throw new RangeError(`encodeIdx: dims [${dims.join(', ')}] need ${expected} values, got ${data.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UNSIGNED_BYTE;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
