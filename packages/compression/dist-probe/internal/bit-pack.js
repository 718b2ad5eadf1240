/**
 * Fixed-width codes packed least-significant bit first into bytes, and sign bits eight to a byte.
 */
/** Bytes needed for `count` codes of `width` bits. */
export function packedBytes(count, width) {
    return Math.ceil((count * width) / 8);
}
/** Pack `codes` (each < 2^width, width ≤ 24) into `out`. */
export function packCodes(codes, width, out) {
    let acc = 0;
    let bits = 0;
    let o = 0;
    for (let i = 0; i < codes.length; i++) {
        acc |= codes[i] << bits;
        bits += width;
        while (bits >= 8) {
            out[o++] = acc & 0xff;
            acc >>>= 8;
            bits -= 8;
        }
    }
    if (bits > 0)
        out[o] = acc & 0xff;
}
/** Unpack `codes.length` codes of `width` bits from `bytes`. */
export function unpackCodes(bytes, width, codes) {
    const mask = (1 << width) - 1;
    let acc = 0;
    let bits = 0;
    let b = 0;
    for (let i = 0; i < codes.length; i++) {
        while (bits < width) {
            acc |= bytes[b++] << bits;
            bits += 8;
        }
        codes[i] = acc & mask;
        acc >>>= width;
        bits -= width;
    }
}
/** Bytes needed for `count` sign bits. */
export function signBytes(count) {
    return (count + 7) >>> 3;
}
/** Bit i of `out` is 1 where `input[i] >= 0` (so +0 and −0 count as positive). */
export function packSigns(input, out) {
    const n = input.length;
    const whole = n >>> 3;
    for (let byte = 0; byte < whole; byte++) {
        const i = byte << 3;
        out[byte] =
            (input[i] >= 0 ? 1 : 0) |
                (input[i + 1] >= 0 ? 2 : 0) |
                (input[i + 2] >= 0 ? 4 : 0) |
                (input[i + 3] >= 0 ? 8 : 0) |
                (input[i + 4] >= 0 ? 16 : 0) |
                (input[i + 5] >= 0 ? 32 : 0) |
                (input[i + 6] >= 0 ? 64 : 0) |
                (input[i + 7] >= 0 ? 128 : 0);
    }
    if (whole * 8 < n) {
        let last = 0;
        for (let i = whole * 8; i < n; i++)
            if (input[i] >= 0)
                last |= 1 << (i & 7);
        out[whole] = last;
    }
}
/** `out[i] = positive` where sign bit i is 1, else `negative`. */
export function unpackSigns(bytes, positive, negative, out) {
    const n = out.length;
    for (let i = 0; i < n; i++)
        out[i] = (bytes[i >>> 3] >>> (i & 7)) & 1 ? positive : negative;
}
/** Refuse set bits past the last element (they would mean a corrupted or foreign payload). */
export function paddingBitsClear(bytes, count, width = 1) {
    const used = count * width;
    const total = bytes.length * 8;
    if (used === total)
        return true;
    const last = bytes[bytes.length - 1];
    return last >>> (8 - (total - used)) === 0;
}
//# sourceMappingURL=bit-pack.js.map