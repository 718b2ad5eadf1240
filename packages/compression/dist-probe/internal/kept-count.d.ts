/**
 * How many elements a sparsifier with `ratio` keeps of `length`: k = max(1, ⌈ratio · length⌉),
 * so k / length ≥ ratio and the k/d contraction bound holds with δ = ratio. The 1e-9 slack
 * stops float noise (0.29 · 100 = 28.999…) from adding an element.
 */
export declare function keptCount(ratio: number, length: number): number;
//# sourceMappingURL=kept-count.d.ts.map