/**
 * Fixed-width codes packed least-significant bit first into bytes, and sign bits eight to a byte.
 */

/** Bytes needed for `count` codes of `width` bits. */
export function packedBytes(count: number, width: number): number {
  return Math.ceil((count * width) / 8);
}

/** Pack `codes` (each < 2^width, width ≤ 24) into `out`. */
export function packCodes(codes: Uint32Array | Uint16Array, width: number, out: Uint8Array): void {
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < codes.length; i++) {
    acc |= codes[i]! << bits;
    bits += width;
    while (bits >= 8) {
      out[o++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out[o] = acc & 0xff;
}

/** Unpack `codes.length` codes of `width` bits from `bytes`. */
export function unpackCodes(bytes: Uint8Array, width: number, codes: Uint32Array | Uint16Array): void {
  const mask = (1 << width) - 1;
  let acc = 0;
  let bits = 0;
  let b = 0;
  for (let i = 0; i < codes.length; i++) {
    while (bits < width) {
      acc |= bytes[b++]! << bits;
      bits += 8;
    }
    codes[i] = acc & mask;
    acc >>>= width;
    bits -= width;
  }
}

/** Bytes needed for `count` sign bits. */
export function signBytes(count: number): number {
  return (count + 7) >>> 3;
}

/**
 * Bit i of `out` is 1 where `input[i] >= 0` (so +0 and −0 count as positive). Read from the float
 * bits without branches: a sign test on random data would mispredict half the time.
 */
export function packSigns(input: Float32Array, out: Uint8Array): void {
  const n = input.length;
  const bits = new Uint32Array(input.buffer, input.byteOffset, n);
  out.fill(0, 0, signBytes(n));
  for (let i = 0; i < n; i++) {
    const b = bits[i]!;
    // 1 for a clear sign bit, or for −0 (all magnitude bits zero).
    const positive = ((b >>> 31) ^ 1) | (((b & 0x7fffffff) - 1) >>> 31);
    out[i >>> 3] |= positive << (i & 7);
  }
}

/** `out[i] = positive` where sign bit i is 1, else `negative`. */
export function unpackSigns(bytes: Uint8Array, positive: number, negative: number, out: Float32Array): void {
  const values = new Float32Array([negative, positive]);
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = values[(bytes[i >>> 3]! >>> (i & 7)) & 1]!;
}

/** Refuse set bits past the last element (they would mean a corrupted or foreign payload). */
export function paddingBitsClear(bytes: Uint8Array, count: number, width = 1): boolean {
  const used = count * width;
  const total = bytes.length * 8;
  if (used === total) return true;
  const last = bytes[bytes.length - 1]!;
  return last >>> (8 - (total - used)) === 0;
}
