import { type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
/** Options of {@link threshold}. */
export interface ThresholdOptions {
    /** Elements with |x| ≥ threshold are sent. Required, > 0. */
    readonly threshold?: number;
    /**
     * The kept fraction `estimateRatio` assumes, since the real one depends on the data.
     * Default 0.01.
     */
    readonly expectedDensity?: number;
}
/**
 * Threshold sparsification (Strom, "Scalable distributed DNN training using commodity GPU cloud
 * computing", Interspeech 2015): send every element whose magnitude reaches a fixed threshold τ
 * as an index/value pair. The payload size varies with the data (`wireBytes` counts it exactly;
 * `estimateRatio` can only assume `expectedDensity`). With error feedback the residual grows until
 * it crosses τ, so many elements may be sent (the survey's warning in §VI-B-1).
 */
export declare class ThresholdCompressor implements Compressor {
    private readonly options;
    readonly name = "threshold";
    readonly aggregation = "gather";
    readonly unbiased = false;
    constructor(options: Required<ThresholdOptions>);
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array, ctx: CompressContext): number;
    private count;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array): void;
    combine(payloads: readonly Uint8Array[], out: Float32Array): void;
}
/**
 * Fixed-threshold sparsification: send the elements with |x| ≥ `threshold`.
 *
 * @example
 * ```ts
 * plugins: [threshold({ threshold: 1e-3 }), errorFeedback()]
 * ```
 */
export declare function threshold(options?: ThresholdOptions): PluginSpec<Required<ThresholdOptions>>;
//# sourceMappingURL=threshold.d.ts.map