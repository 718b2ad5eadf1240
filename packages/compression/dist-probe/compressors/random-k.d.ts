import { type CompressContext, type Compressor, type PluginSpec, type ReduceLink } from '@syncopate/core';
/** Options of {@link randomK}. */
export interface RandomKOptions {
    /** Fraction of elements kept, in (0, 1]; k = ⌈ratio · d⌉. Default 0.01. */
    readonly ratio?: number;
    /**
     * Draw the mask from the randomness every rank shares, so all ranks keep the same indices and
     * only the k values travel; they are then summed by allreduce (`sum` aggregation). Default false:
     * each rank draws its own mask and sends index/value pairs (`gather`).
     */
    readonly sharedMask?: boolean;
    /**
     * Scale kept values by d/k, making the compressor unbiased (the survey's "subsampling").
     * Default false: values are kept as they are, a k/d-contraction meant for error feedback.
     */
    readonly rescale?: boolean;
}
/**
 * Random-k sparsification (Stich et al., "Sparsified SGD with memory", NeurIPS 2018; Konečný
 * et al., "Federated learning: strategies for improving communication efficiency", 2016): keep k
 * uniformly chosen elements. Unscaled it satisfies E‖C(x) − x‖² = (1 − k/d)‖x‖²; scaled by d/k it
 * is unbiased. With a shared mask ("created by the server and then distributed", survey §VI-A)
 * every rank keeps the same indices, so the values alone are allreduced.
 */
export declare class RandomKCompressor implements Compressor {
    private readonly options;
    readonly name = "randomK";
    readonly aggregation: 'sum' | 'gather';
    readonly unbiased: boolean;
    readonly contraction: number | undefined;
    private readonly id;
    constructor(options: Required<RandomKOptions>);
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    private bytes;
    /** The mask of this (step, key): shared by all ranks, or this rank's own. */
    private mask;
    private scale;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array, ctx: CompressContext): void;
    combine(payloads: readonly Uint8Array[], out: Float32Array, ctx: CompressContext): void;
    reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void>;
    private openValues;
}
/**
 * Random-k sparsification, with a private or a shared (allreduce-able) mask.
 *
 * @example
 * ```ts
 * plugins: [randomK({ ratio: 0.01, sharedMask: true }), errorFeedback()]
 * ```
 */
export declare function randomK(options?: RandomKOptions): PluginSpec<Required<RandomKOptions>>;
//# sourceMappingURL=random-k.d.ts.map