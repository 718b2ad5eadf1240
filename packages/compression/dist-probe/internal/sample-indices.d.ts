import type { RandomStream } from './random-stream.js';
/**
 * `k` distinct indices of 0..n−1, uniformly among all k-subsets, in ascending order.
 *
 * Marks a byte map by rejection sampling (drawing the complement when k > n/2, so the expected
 * number of draws stays below 2k), then reads it in order: O(n) bytes touched, O(k) draws.
 */
export declare function sampleIndices(random: RandomStream, n: number, k: number): Uint32Array;
//# sourceMappingURL=sample-indices.d.ts.map