/**
 * IEEE 754 binary16 (fp16) and bfloat16 conversions on float32 bit patterns, rounding to
 * nearest with ties to even. Values beyond a format's largest finite number saturate to it
 * instead of becoming ±Inf (a gradient spike must not poison the sum; error feedback keeps the
 * excess). Decoding fp16 is one lookup in a 65 536-entry table built on first use.
 */
/** fp16 bits of the float32 `value` whose bits are `bits`. */
export declare function halfFromFloatBits(bits: number, value: number): number;
/** float32 value of every fp16 bit pattern (NaN for the NaN patterns, which no encoder writes). */
export declare function halfToFloatTable(): Float32Array;
/** bfloat16 bits of a float32 bit pattern (finite input). */
export declare function bfloat16FromFloatBits(bits: number): number;
//# sourceMappingURL=half-float.d.ts.map