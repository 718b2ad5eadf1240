import { type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
/** Options of {@link qsgd}. */
export interface QsgdOptions {
    /** Quantisation levels s (codes 0..s per sign). Default 127, i.e. 8 bits per element with the sign. */
    readonly levels?: number;
    /** Elements per bucket; each bucket is scaled by its own 2-norm (the paper's d). Default 512. */
    readonly bucketSize?: number;
}
/**
 * QSGD (Alistarh et al., "QSGD: communication-efficient SGD via gradient quantization and
 * encoding", NeurIPS 2017). Per bucket v with norm ‖v‖₂, each element becomes
 * ‖v‖₂ · sgn(vᵢ) · ξᵢ where ξᵢ = l/s or (l + 1)/s, l = ⌊s|vᵢ|/‖v‖₂⌋, rounding up with
 * probability s|vᵢ|/‖v‖₂ − l, so E[ξᵢ] = |vᵢ|/‖v‖₂ and the compressor is unbiased (the survey's
 * Eq. 14 with l = 0 allowed). Codes are sign + level in 1 + ⌈log2(s + 1)⌉ bits (fixed width,
 * no Elias coding): a signed byte for s ≤ 127 (the default, 127, fills it), offset binary s ± l
 * otherwise.
 */
export declare class QsgdCompressor implements Compressor {
    private readonly options;
    readonly name = "qsgd";
    readonly aggregation = "gather";
    readonly unbiased = true;
    private readonly width;
    constructor(options: Required<QsgdOptions>);
    private layout;
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    /**
     * Store the bucket's norm, rounded up to float32, and return the scale s / ‖v‖₂ shrunk by
     * 2^-40: then |x| · scale < s for every element, so ⌊x · scale + u⌋ stays in [−s, s] without
     * a clamp, at a relative bias of 2^-40. 0 for a zero bucket.
     */
    private bucketScale;
    decompress(payload: Uint8Array, out: Float32Array): void;
}
/**
 * QSGD stochastic quantisation with `levels` levels per bucket norm; unbiased.
 *
 * @example
 * ```ts
 * plugins: [qsgd({ levels: 15, bucketSize: 512 })] // 5 bits per element
 * ```
 */
export declare function qsgd(options?: QsgdOptions): PluginSpec<Required<QsgdOptions>>;
//# sourceMappingURL=qsgd.d.ts.map