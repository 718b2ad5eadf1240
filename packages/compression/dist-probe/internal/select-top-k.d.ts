/**
 * Indices (ascending) of the `k` elements of `values` with the largest magnitudes; among equal
 * magnitudes the lower index wins. `k` is clamped to `values.length`. Throws `NonFiniteError`
 * (naming `where`) on NaN or ±Inf.
 */
export declare function selectTopK(values: Float32Array, k: number, where: string, step?: number): Uint32Array;
//# sourceMappingURL=select-top-k.d.ts.map