/**
 * Fast per-element randomness for stochastic rounding and sampling.
 *
 * Compressors draw one or more random numbers per element (QSGD, TernGrad, natural
 * compression, Random-k). Core's Philox generator costs tens of nanoseconds a draw in
 * JavaScript, more than the quantisation itself, so each call seeds a xoshiro128** generator
 * (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018) from four Philox
 * words. The seed comes from a stream *derived* from the context's generator key, not from its
 * current position, so `compress` is a pure function of (input, seed, rank, step, key): calling
 * `wireBytes` first, or compressing twice, draws the same numbers.
 */
import { type Rng } from '@syncopate/core';
/** A generator keyed like `rng` but on its own sub-stream `label`, starting at position 0. */
export declare function deriveRng(rng: Rng, label: string): Rng;
/** xoshiro128**: 32-bit outputs, period 2^128 − 1, a few nanoseconds per draw. */
export declare class RandomStream {
    private s0;
    private s1;
    private s2;
    private s3;
    /** Seeded from four words of `source` (a fresh derived generator). */
    constructor(source: Rng);
    /** Uniform integer in [0, 2^32). */
    nextUint32(): number;
    /** Fill `out` with uniform 32-bit integers; the tight loop keeps the state in registers. */
    fillUint32(out: Uint32Array): void;
    /** Uniform float in [0, 1) with 24 random bits (exact in float32). */
    nextFloat24(): number;
    /** Uniform integer in [0, n) for n ≤ 2^32, without modulo bias. */
    nextInt(n: number): number;
}
/** A fast stream for (`rng`'s key, `label`). */
export declare function randomStream(rng: Rng, label: string): RandomStream;
//# sourceMappingURL=random-stream.d.ts.map