import { type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
/**
 * Natural compression (Horváth et al., "Natural compression for distributed deep learning",
 * 2019): each element is rounded to one of the two powers of two around it,
 * 2^⌊log2|t|⌋ or 2^⌈log2|t|⌉, choosing the upper one with probability (|t| − 2^⌊·⌋) / 2^⌊·⌋.
 * That is the unbiased probability; the survey's printed p(t) (Eq. 17) is not (its erratum 6).
 * Only the sign and the float32 exponent travel: 9 bits per element, variance at most 1/8 of
 * |t|². On float32 bits the rounding is exact: round up with probability mantissa / 2^23.
 * Subnormals round between 0 and 2^-126 the same way; magnitudes in [2^127, 2^128) always
 * round down (2^128 is not a float32), a bias no gradient meets.
 */
export declare class NaturalCompressor implements Compressor {
    readonly name = "naturalCompression";
    readonly aggregation = "gather";
    readonly unbiased = true;
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array): void;
}
/** Options of {@link naturalCompression}: none. */
export type NaturalCompressionOptions = Record<string, never>;
/**
 * Natural compression: unbiased stochastic rounding to a power of two, 9 bits per element.
 *
 * @example
 * ```ts
 * plugins: [naturalCompression()]
 * ```
 */
export declare function naturalCompression(options?: NaturalCompressionOptions): PluginSpec<NaturalCompressionOptions>;
//# sourceMappingURL=natural-compression.d.ts.map