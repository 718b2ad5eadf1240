/**
 * The dense linear algebra of PowerSGD on a flat buffer viewed as a zero-padded `rows × cols`
 * matrix M (row-major, M[i][j] = x[i·cols + j]). P is rows × rank and Q is cols × rank, both
 * row-major. Sums run in float64.
 */
/** The near-square shape PyTorch's batched PowerSGD uses for a flat buffer of `length` elements. */
export declare function matrixShape(length: number): {
    rows: number;
    cols: number;
};
/** P = M Q. */
export declare function multiply(x: Float32Array, rows: number, cols: number, q: Float32Array, rank: number, p: Float32Array): void;
/** Q = Mᵀ P. */
export declare function multiplyTransposed(x: Float32Array, rows: number, cols: number, p: Float32Array, rank: number, q: Float32Array): void;
/** out = P Qᵀ, cut to out.length. */
export declare function reconstruct(p: Float32Array, q: Float32Array, rows: number, cols: number, rank: number, out: Float32Array): void;
/** Orthonormalise the columns of P in place (modified Gram–Schmidt); a column that vanishes stays zero. */
export declare function orthonormalise(p: Float32Array, rows: number, rank: number): void;
//# sourceMappingURL=low-rank.d.ts.map