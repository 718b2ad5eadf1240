import { type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
/**
 * bfloat16: the upper 16 bits of each float32, rounded to nearest even. Same exponent range as
 * float32 (no overflow, no flush of small gradients), 8 significant bits: relative error
 * ≤ 2^-8 (Kalamkar et al., "A study of BFLOAT16 for deep learning training", 2019; PyTorch DDP's
 * `bf16_compress_hook`). Decoding is a shift.
 */
export declare class Bf16Compressor implements Compressor {
    readonly name = "bf16";
    readonly aggregation = "gather";
    readonly unbiased = false;
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array): void;
}
/** Options of {@link bf16}: none. */
export type Bf16Options = Record<string, never>;
/**
 * bfloat16 compression: 2 bytes per element, float32's range with 8 significant bits.
 *
 * @example
 * ```ts
 * plugins: [bf16()]
 * ```
 */
export declare function bf16(options?: Bf16Options): PluginSpec<Bf16Options>;
//# sourceMappingURL=bf16.d.ts.map