/**
 * IEEE 754 binary16 (fp16) and bfloat16 conversions on float32 bit patterns, rounding to
 * nearest with ties to even. Values beyond a format's largest finite number saturate to it
 * instead of becoming ±Inf (a gradient spike must not poison the sum; error feedback keeps the
 * excess). Decoding fp16 is one lookup in a 65 536-entry table built on first use.
 *
 * The element loops live here, next to the conversions they call: V8 does not inline a function
 * imported from another module into a hot loop.
 */

/** Smallest float32 magnitude that rounds above 65504 in fp16 (65520). */
const HALF_OVERFLOW_BITS = 0x477ff000;
/** 2^-14, the smallest normal fp16. */
const HALF_MIN_NORMAL_BITS = 0x38800000;

/** fp16 bits of the float32 `value` whose bits are `bits`. */
export function halfFromFloatBits(bits: number, value: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const abs = bits & 0x7fffffff;
  if (abs >= HALF_MIN_NORMAL_BITS) {
    if (abs >= HALF_OVERFLOW_BITS) return sign | 0x7bff;
    return sign | ((abs - 0x38000000 + 0x0fff + ((abs >>> 13) & 1)) >>> 13);
  }
  // Subnormal fp16: a multiple of 2^-24; round |value| · 2^24 to nearest even.
  const scaled = Math.abs(value) * 16777216;
  let r = Math.round(scaled);
  if (r - scaled === 0.5 && (r & 1) === 1) r -= 1;
  return sign | r;
}

let halfTable: Float32Array | undefined;

/** float32 value of every fp16 bit pattern (NaN for the NaN patterns, which no encoder writes). */
export function halfToFloatTable(): Float32Array {
  if (halfTable) return halfTable;
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >>> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) table[h] = sign * mantissa * 2 ** -24;
    else if (exponent === 31) table[h] = mantissa === 0 ? sign * Infinity : Number.NaN;
    else table[h] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  halfTable = table;
  return table;
}

/** bfloat16 bits of a float32 bit pattern (finite input). */
export function bfloat16FromFloatBits(bits: number): number {
  const abs = bits & 0x7fffffff;
  if (abs >= 0x7f7f8000) return ((bits >>> 16) & 0x8000) | 0x7f7f;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

/**
 * fp16 bits of every element of `input` into `out`; returns whether a NaN or ±Inf was seen (its
 * slot then holds garbage and the caller throws).
 */
export function encodeHalf(input: Float32Array, out: Uint16Array): boolean {
  const bits = new Uint32Array(input.buffer, input.byteOffset, input.length);
  let nonFinite = false;
  for (let i = 0; i < input.length; i++) {
    const b = bits[i]!;
    if ((b & 0x7f800000) === 0x7f800000) nonFinite = true;
    out[i] = halfFromFloatBits(b, input[i]!);
  }
  return nonFinite;
}

/** float32 values of fp16 bits. */
export function decodeHalf(half: Uint16Array, out: Float32Array): void {
  const table = halfToFloatTable();
  for (let i = 0; i < out.length; i++) out[i] = table[half[i]!]!;
}

/** bfloat16 bits of every element of `input` into `out`; returns whether a NaN or ±Inf was seen. */
export function encodeBfloat16(input: Float32Array, out: Uint16Array): boolean {
  const bits = new Uint32Array(input.buffer, input.byteOffset, input.length);
  let nonFinite = false;
  for (let i = 0; i < input.length; i++) {
    const b = bits[i]!;
    if ((b & 0x7f800000) === 0x7f800000) nonFinite = true;
    out[i] = bfloat16FromFloatBits(b);
  }
  return nonFinite;
}

/** float32 values of bfloat16 bits: a shift. */
export function decodeBfloat16(half: Uint16Array, out: Float32Array): void {
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < out.length; i++) bits[i] = half[i]! << 16;
}
