/**
 * A Count Sketch (Charikar, Chen & Farach-Colton, "Finding frequent items in data streams",
 * ICALP 2002) of a dense vector: `rows` independent hash rows of `columns` counters. Element i
 * adds s_j(i) · x_i to counter h_j(i) of row j; the estimate of x_i is the median over rows of
 * s_j(i) · S[j][h_j(i)]. Sketches are linear, so the sum of sketches is the sketch of the sum.
 *
 * The hash of row j mixes (i, seed_j) with the murmur3 finaliser; its low bit is the sign s_j and
 * the other bits pick the column. Seeds come from randomness every rank shares, so all ranks
 * hash alike and their sketches can be added.
 */
import type { Rng } from '@syncopate/core';
/** The hash functions of one sketch. */
export declare class SketchHashes {
    readonly rows: number;
    readonly columns: number;
    readonly seeds: Int32Array;
    constructor(rows: number, columns: number, shared: Rng);
    /** Add the sketch of `x` to `table` (rows × columns, row-major). */
    sketch(x: Float32Array, table: Float32Array): void;
    /** The median-of-rows estimate of every element, into `out`. */
    estimate(table: Float32Array, out: Float32Array): void;
}
//# sourceMappingURL=count-sketch-table.d.ts.map