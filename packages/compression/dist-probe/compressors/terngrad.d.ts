import { type CompressContext, type Compressor, type PluginSpec, type ReduceLink } from '@syncopate/core';
/** Options of {@link ternGrad}. */
export interface TernGradOptions {
    /**
     * Scalar sharing: ranks agree on the largest scalar s = max over ranks of max|x| before
     * ternarising (one small allgather), so every rank's values lie on the same grid. Default false.
     */
    readonly scalarSharing?: boolean;
}
/**
 * TernGrad (Wen et al., "TernGrad: ternary gradients to reduce communication in distributed
 * deep learning", NeurIPS 2017): with s = max|x| over the bucket (layer-wise scalar), each
 * element becomes s · sign(xᵢ) · bᵢ with bᵢ ~ Bernoulli(|xᵢ|/s), which is unbiased. Five ternary
 * digits share a byte (1.6 bits per element, near the log2 3 ≈ 1.585 bound), plus the scalar.
 * With scalar sharing, the ranks' largest scalar is used everywhere (the paper's "scalar
 * sharing"), which makes the `sum` path's `reduce` do a 4-byte allgather first.
 */
export declare class TernGradCompressor implements Compressor {
    private readonly options;
    readonly name = "ternGrad";
    readonly aggregation: 'gather' | 'sum';
    readonly unbiased = true;
    constructor(options: Required<TernGradOptions>);
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    /** Ternarise against the scalar `scale` (≥ max|x|). */
    private ternarise;
    decompress(payload: Uint8Array, out: Float32Array): void;
    reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void>;
}
/**
 * TernGrad: unbiased ternary {−s, 0, +s} gradients, optionally with a scalar shared by all ranks.
 *
 * @example
 * ```ts
 * plugins: [ternGrad({ scalarSharing: true })]
 * ```
 */
export declare function ternGrad(options?: TernGradOptions): PluginSpec<Required<TernGradOptions>>;
//# sourceMappingURL=terngrad.d.ts.map