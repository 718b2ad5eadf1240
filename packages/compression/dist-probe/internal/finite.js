import { NonFiniteError } from '@syncopate/core';
/**
 * Throw a `NonFiniteError` naming the first NaN or ±Inf in `input`. `where` says who was
 * reading it, e.g. `topK compress (gradient/bucket-2)`.
 */
export function assertFinite(input, where, step) {
    // x * 0 is 0 for finite x and NaN otherwise; summing keeps the loop branch-free.
    let probe = 0;
    for (let i = 0; i < input.length; i++)
        probe += input[i] * 0;
    if (probe === 0)
        return;
    throwNonFinite(input, where, step);
}
/** Find the first non-finite element and throw for it (after a fused check found one). */
export function throwNonFinite(input, where, step) {
    for (let i = 0; i < input.length; i++) {
        if (!Number.isFinite(input[i]))
            throw new NonFiniteError(where, i, input[i], step);
    }
    throw new NonFiniteError(where, -1, Number.NaN, step);
}
//# sourceMappingURL=finite.js.map