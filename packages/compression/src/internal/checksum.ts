/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the same function as core's `crc32`,
 * computed eight bytes at a time ("slicing-by-8", Kounavis & Berry, "A systematic approach to
 * building high performance software-based CRC generators", ISCC 2005) and resumable, so a
 * payload's header and body are checked in one running value without copying them together.
 * Words are read in the platform's byte order, which the payload module requires to be
 * little-endian.
 *
 * Byte-at-a-time CRC costs ~2.5 ns per byte here, which is as much as quantising a float; eight
 * tables make it ~4× cheaper. The result is identical to core's `crc32` (tested).
 */

const TABLES = (() => {
  const t = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let s = 1; s < 8; s++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[s * 256 + n] = c >>> 0;
    }
  }
  return t;
})();

/** The running value a CRC starts from. */
export const CRC32_START = 0xffffffff;

/** Feed `bytes[start, end)` into a running CRC value (from {@link CRC32_START} or a previous call). */
export function crc32Update(state: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLES;
  let crc = state >>> 0;
  let i = start;
  // Unaligned head byte by byte, then whole 8-byte groups read as two little-endian words.
  while (i < end && ((bytes.byteOffset + i) & 3) !== 0) crc = t[(crc ^ bytes[i++]!) & 0xff]! ^ (crc >>> 8);
  const groups = (end - i) >>> 3;
  if (groups > 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, groups * 2);
    for (let w = 0; w < words.length; w += 2) {
      const a = (crc ^ words[w]!) >>> 0;
      const b = words[w + 1]!;
      crc =
        t[1792 + (a & 0xff)]! ^
        t[1536 + ((a >>> 8) & 0xff)]! ^
        t[1280 + ((a >>> 16) & 0xff)]! ^
        t[1024 + (a >>> 24)]! ^
        t[768 + (b & 0xff)]! ^
        t[512 + ((b >>> 8) & 0xff)]! ^
        t[256 + ((b >>> 16) & 0xff)]! ^
        t[b >>> 24]!;
    }
    i += groups * 8;
  }
  for (; i < end; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return crc >>> 0;
}

/** The final CRC-32 of a running value. */
export function crc32Finish(state: number): number {
  return (state ^ 0xffffffff) >>> 0;
}
