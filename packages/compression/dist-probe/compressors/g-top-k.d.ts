import { type CompressContext, type Compressor, type PluginSpec, type ReduceLink } from '@syncopate/core';
/** Options of {@link gTopK}. */
export interface GTopKOptions {
    /** Fraction of elements kept locally and globally, in (0, 1]. Default 0.01. */
    readonly ratio?: number;
}
/**
 * gTop-k (Shi et al., "A distributed synchronous SGD algorithm with global top-k sparsification
 * for low bandwidth networks", ICDCS 2019): every rank sends its local top-k; the sum of those
 * sparse vectors, whose support grows up to size·k, is sparsified again to its own top-k, so the
 * result stays k-sparse.
 *
 * `reduce` gathers the local payloads, merges them and keeps the global top-k; `local` is this
 * rank's share of that result (its own values at the surviving indices), so error feedback keeps
 * everything else, including local values that lost the global selection. Deviation: the paper
 * merges pairwise up a tree (log₂ size rounds of k pairs); with only allgather available this
 * gathers size·k pairs and selects once, which gives the exact top-k of the summed local top-ks.
 */
export declare class GTopKCompressor implements Compressor {
    private readonly options;
    readonly name = "gTopK";
    readonly aggregation = "sum";
    readonly unbiased = false;
    readonly contraction: number;
    constructor(options: Required<GTopKOptions>);
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array): void;
    /** Sum the local top-k payloads, then keep the top k of the sum (zeros elsewhere). */
    combine(payloads: readonly Uint8Array[], out: Float32Array, ctx: CompressContext): void;
    /** {@link combine}; returns a 0/1 map of the indices that survived. */
    private merge;
    reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void>;
}
/**
 * gTop-k: local top-k, then the global top-k of their sum, so every rank applies a k-sparse update.
 *
 * @example
 * ```ts
 * plugins: [gTopK({ ratio: 0.001 }), errorFeedback()]
 * ```
 */
export declare function gTopK(options?: GTopKOptions): PluginSpec<Required<GTopKOptions>>;
//# sourceMappingURL=g-top-k.d.ts.map