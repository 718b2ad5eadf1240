import { type CompressContext, type Compressor, type PluginSpec, type ReduceLink } from '@syncopate/core';
/** Options of {@link countSketch}. */
export interface CountSketchOptions {
    /** Fraction k/d of heavy hitters recovered, in (0, 1]. Default 0.01. */
    readonly ratio?: number;
    /** Hash rows of the sketch (the median is taken over them). Default 5. */
    readonly rows?: number;
    /** Counters per row, as a multiple of k. Default 10. */
    readonly columnsPerK?: number;
    /**
     * Exact second round: recover `secondRound · k` candidates from the summed sketch, allreduce
     * every rank's exact values at them, and keep the top k of the exact sums. 0 (default) uses
     * the sketch estimates directly.
     */
    readonly secondRound?: number;
}
/**
 * Sketched-SGD (Ivkin et al., "Communication-efficient distributed SGD with sketching",
 * NeurIPS 2019): each rank sends a Count Sketch of its (error-accumulated) buffer; sketches are
 * linear, so they are summed by allreduce; the heavy hitters (top k by median estimate) of the
 * summed sketch become the update. With `secondRound`, the candidates' exact sums are fetched
 * in one more allreduce of `secondRound · k` values and the top k of those is kept.
 *
 * `local`, for error feedback, is this rank's own values at the recovered indices (the paper
 * zeroes the accumulated error there); with the second round the ranks' `local`s sum exactly to
 * the result, with a single round the result is the sketch's estimate of that sum.
 */
export declare class CountSketchCompressor implements Compressor {
    private readonly options;
    readonly name = "countSketch";
    readonly aggregation = "sum";
    readonly unbiased = false;
    constructor(options: Required<CountSketchOptions>);
    private shape;
    private bytes;
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    private hashes;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    private openTable;
    /** Write the top-k heavy hitters of `table` into `out` (zeros elsewhere); returns their indices. */
    private unsketch;
    decompress(payload: Uint8Array, out: Float32Array, ctx: CompressContext): void;
    /** Sum the sketches, then recover the heavy hitters of the sum. */
    combine(payloads: readonly Uint8Array[], out: Float32Array, ctx: CompressContext): void;
    reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void>;
}
/**
 * Count-sketch compression (Sketched-SGD): summed sketches, heavy-hitter recovery, optional
 * exact second round.
 *
 * @example
 * ```ts
 * plugins: [countSketch({ ratio: 0.001, rows: 5, columnsPerK: 10, secondRound: 4 }), errorFeedback()]
 * ```
 */
export declare function countSketch(options?: CountSketchOptions): PluginSpec<Required<CountSketchOptions>>;
//# sourceMappingURL=count-sketch.d.ts.map