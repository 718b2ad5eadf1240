import { type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
/** Options of {@link topK}. */
export interface TopKOptions {
    /** Fraction of elements kept, in (0, 1]; k = max(1, ⌈ratio · d⌉). Default 0.01. */
    readonly ratio?: number;
}
/**
 * Top-k sparsification (Stich et al., "Sparsified SGD with memory", NeurIPS 2018; Aji &
 * Heafield, "Sparse communication for distributed gradient descent", EMNLP 2017): keep the k
 * elements of largest magnitude, exactly, ties broken by lower index, and send them as
 * index/value pairs. A k/d-contraction: ‖C(x) − x‖² ≤ (1 − k/d)‖x‖². Selection is a radix
 * select over the float bits (two passes, no sort). Payloads from different ranks have
 * different supports, so they are gathered and merged by scatter-add.
 */
export declare class TopKCompressor implements Compressor {
    private readonly options;
    readonly name = "topK";
    readonly aggregation = "gather";
    readonly unbiased = false;
    readonly contraction: number;
    constructor(options: Required<TopKOptions>);
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array): void;
    combine(payloads: readonly Uint8Array[], out: Float32Array): void;
}
/**
 * Top-k sparsification by magnitude. Biased: pair it with `errorFeedback()`.
 *
 * @example
 * ```ts
 * plugins: [topK({ ratio: 0.01 }), errorFeedback()]
 * ```
 */
export declare function topK(options?: TopKOptions): PluginSpec<Required<TopKOptions>>;
//# sourceMappingURL=top-k.d.ts.map