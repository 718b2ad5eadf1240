import { type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
/**
 * IEEE half precision: each float32 rounds to the nearest fp16 (ties to even), halving the bytes.
 * Relative error ≤ 2^-11 for |x| in [2^-14, 65504]; smaller magnitudes lose precision
 * (subnormals, then zero below 2^-25) and larger ones saturate at ±65504. PyTorch DDP's
 * `fp16_compress_hook` does the same cast (Micikevicius et al., "Mixed precision training",
 * ICLR 2018). fp16 values are not summed in fp16 here: payloads are gathered and decoded.
 */
export declare class Fp16Compressor implements Compressor {
    readonly name = "fp16";
    readonly aggregation = "gather";
    readonly unbiased = false;
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array): void;
}
/** Options of {@link fp16}: none. */
export type Fp16Options = Record<string, never>;
/**
 * Half-precision (fp16) compression: 2 bytes per element, gathered and decoded in float32.
 *
 * @example
 * ```ts
 * plugins: [fp16()]
 * ```
 */
export declare function fp16(options?: Fp16Options): PluginSpec<Fp16Options>;
//# sourceMappingURL=fp16.d.ts.map