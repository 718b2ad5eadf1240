import { type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
/**
 * 1-bit SGD (Seide et al., "1-bit stochastic gradient descent and its application to
 * data-parallel distributed training of speech DNNs", Interspeech 2014): each element is
 * quantised to one bit by its sign (threshold 0) and reconstructed as the mean of the elements
 * that share its bit, μ₊ for x ≥ 0 and μ₋ for x < 0, which minimises the squared error for that
 * bit pattern. Two floats per bucket (the paper keeps them per matrix column; here per bucket).
 * What the quantiser drops is carried by the error-feedback plugin, which the spec requires —
 * error feedback is half of the algorithm.
 */
export declare class OneBitSgdCompressor implements Compressor {
    readonly name = "oneBitSgd";
    readonly aggregation = "gather";
    readonly unbiased = false;
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array): void;
}
/** Options of {@link oneBitSgd}: none. */
export type OneBitSgdOptions = Record<string, never>;
/**
 * 1-bit SGD: one bit per element, reconstructed to the mean of its sign group; requires
 * `errorFeedback()`.
 *
 * @example
 * ```ts
 * plugins: [oneBitSgd(), errorFeedback()]
 * ```
 */
export declare function oneBitSgd(options?: OneBitSgdOptions): PluginSpec<OneBitSgdOptions>;
//# sourceMappingURL=one-bit-sgd.d.ts.map