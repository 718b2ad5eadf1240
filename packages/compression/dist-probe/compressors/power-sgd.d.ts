import { type CompressContext, type Compressor, type PluginSpec, type ReduceLink, type Snapshot } from '@syncopate/core';
/** Options of {@link powerSgd}. */
export interface PowerSgdOptions {
    /** Rank r of the approximation. Default 1 (PyTorch's default; the paper also uses 2 and 4). */
    readonly rank?: number;
    /** Start each step's power iteration from the previous step's Q (per buffer key). Default true. */
    readonly warmStart?: boolean;
    /**
     * Require an error-feedback plugin in the composition, as the paper's algorithm does.
     * Default true; set false only to study PowerSGD without it.
     */
    readonly errorFeedback?: boolean;
}
/**
 * PowerSGD (Vogels et al., "PowerSGD: practical low-rank gradient compression for distributed
 * optimization", NeurIPS 2019): one step of subspace (power) iteration per training step.
 * The buffer is viewed as a near-square matrix M (zero-padded, as PyTorch's batched PowerSGD
 * does for a whole bucket), and with Q from the previous step (warm start) or a shared random
 * start:
 *   P ← M Q, allreduce P, orthonormalise P;  Q ← Mᵀ P, allreduce Q;  result P Qᵀ.
 * Both rounds are dense float sums of (rows + cols) · r values, so the aggregation is `sum`.
 * The rank's own share `local` = P (Mᵢᵀ P)ᵀ feeds error feedback. The allreduced Q is kept per
 * key as the next warm start and is part of `snapshot()`.
 */
export declare class PowerSgdCompressor implements Compressor {
    private readonly options;
    readonly name = "powerSgd";
    readonly aggregation = "sum";
    readonly unbiased = false;
    private readonly warm;
    constructor(options: Required<PowerSgdOptions>);
    private shape;
    private bytes;
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    /** Q to start from: the warm start of `ctx.key`, or a standard normal draw every rank shares. */
    private startingQ;
    private remember;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array): void;
    reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void>;
    snapshot(): Snapshot;
    restore(snapshot: Snapshot): void;
}
/**
 * PowerSGD: rank-r compression by one power-iteration step per round, with warm start.
 *
 * @example
 * ```ts
 * plugins: [powerSgd({ rank: 2 }), errorFeedback()]
 * ```
 */
export declare function powerSgd(options?: PowerSgdOptions): PluginSpec<Required<PowerSgdOptions>>;
//# sourceMappingURL=power-sgd.d.ts.map