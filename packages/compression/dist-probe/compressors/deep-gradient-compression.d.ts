import { type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
/** Options of {@link deepGradientCompression}. */
export interface DeepGradientCompressionOptions {
    /** Final fraction of elements sent (density), in (0, 1]. Default 0.001 (99.9 % sparsity). */
    readonly ratio?: number;
    /** Steps of sparsity warm-up; 0 (default) starts at the final ratio. */
    readonly warmupSteps?: number;
    /** Density at step 0 of the warm-up, ≥ `ratio`. Default 0.25 (75 % sparsity). */
    readonly initialRatio?: number;
    /** Equal-length stages of the warm-up; the density falls by a constant factor per stage. Default 4. */
    readonly warmupStages?: number;
}
/**
 * The sparsifier of Deep Gradient Compression (Lin et al., "Deep gradient compression: reducing
 * the communication bandwidth for distributed training", ICLR 2018): exact top-k of the
 * momentum-corrected, error-accumulated buffer, with sparsity warm-up — the density falls
 * exponentially from `initialRatio` to `ratio` in `warmupStages` stages over `warmupSteps` steps
 * (the paper's 25 % → 6.25 % → 1.5625 % → 0.4 % → 0.1 % over the first epochs).
 *
 * DGC's other parts compose around it rather than living inside: momentum correction, momentum
 * factor masking and local gradient clipping are the {@link momentumCorrection} error-feedback
 * plugin (which accumulates u and v and clears both where elements were sent). The paper's
 * sampled threshold estimate is not needed: the selection here is exact and O(n).
 */
export declare class DeepGradientCompressor implements Compressor {
    private readonly options;
    readonly name = "deepGradientCompression";
    readonly aggregation = "gather";
    readonly unbiased = false;
    readonly contraction: number;
    constructor(options: Required<DeepGradientCompressionOptions>);
    /** The density in force at `step`. */
    density(step: number): number;
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array, ctx: CompressContext): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array): void;
    combine(payloads: readonly Uint8Array[], out: Float32Array): void;
}
/**
 * Deep Gradient Compression's top-k with sparsity warm-up. Compose with
 * `momentumCorrection({ momentum, clipNorm })` for the full algorithm (and a base optimizer
 * without momentum, since the correction carries it).
 *
 * @example
 * ```ts
 * plugins: [deepGradientCompression({ ratio: 0.001, warmupSteps: 4 * stepsPerEpoch }), momentumCorrection({ momentum: 0.9 })]
 * ```
 */
export declare function deepGradientCompression(options?: DeepGradientCompressionOptions): PluginSpec<Required<DeepGradientCompressionOptions>>;
//# sourceMappingURL=deep-gradient-compression.d.ts.map