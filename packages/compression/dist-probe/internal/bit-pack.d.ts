/**
 * Fixed-width codes packed least-significant bit first into bytes, and sign bits eight to a byte.
 */
/** Bytes needed for `count` codes of `width` bits. */
export declare function packedBytes(count: number, width: number): number;
/** Pack `codes` (each < 2^width, width ≤ 24) into `out`. */
export declare function packCodes(codes: Uint32Array | Uint16Array, width: number, out: Uint8Array): void;
/** Unpack `codes.length` codes of `width` bits from `bytes`. */
export declare function unpackCodes(bytes: Uint8Array, width: number, codes: Uint32Array | Uint16Array): void;
/** Bytes needed for `count` sign bits. */
export declare function signBytes(count: number): number;
/** Bit i of `out` is 1 where `input[i] >= 0` (so +0 and −0 count as positive). */
export declare function packSigns(input: Float32Array, out: Uint8Array): void;
/** `out[i] = positive` where sign bit i is 1, else `negative`. */
export declare function unpackSigns(bytes: Uint8Array, positive: number, negative: number, out: Float32Array): void;
/** Refuse set bits past the last element (they would mean a corrupted or foreign payload). */
export declare function paddingBitsClear(bytes: Uint8Array, count: number, width?: number): boolean;
//# sourceMappingURL=bit-pack.d.ts.map