/**
 * Throw a `NonFiniteError` naming the first NaN or ±Inf in `input`. `where` says who was
 * reading it, e.g. `topK compress (gradient/bucket-2)`.
 */
export declare function assertFinite(input: Float32Array, where: string, step?: number): void;
/** Find the first non-finite element and throw for it (after a fused check found one). */
export declare function throwNonFinite(input: Float32Array, where: string, step?: number): never;
//# sourceMappingURL=finite.d.ts.map