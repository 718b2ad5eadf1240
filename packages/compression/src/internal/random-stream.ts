/**
 * Fast sequential randomness (Random-k's mask, count-sketch hash seeds) and derived streams.
 *
 * Core's Philox generator costs tens of nanoseconds a draw in JavaScript, so a compressor that
 * needs many draws seeds a xoshiro128** generator (Blackman & Vigna, "Scrambled linear
 * pseudorandom number generators", 2018) from four Philox words. The seed comes from a stream
 * *derived* from the context's generator key, not from its current position, so `compress` is a
 * pure function of (input, seed, rank, step, key): calling `wireBytes` first, or compressing
 * twice, draws the same numbers. (Per-element rounding uses the counter-based uniforms of
 * stochastic-rounding.ts instead.)
 */
import { createRng, type Rng } from '@syncopate/core';

/** A generator keyed like `rng` but on its own sub-stream `label`, starting at position 0. */
export function deriveRng(rng: Rng, label: string): Rng {
  return createRng({ ...rng.key, stream: `${String(rng.key.stream)}#${label}` });
}

/** xoshiro128**: 32-bit outputs, period 2^128 − 1, a few nanoseconds per draw. */
export class RandomStream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Seeded from four words of `source` (a fresh derived generator). */
  constructor(source: Rng) {
    this.s0 = source.nextUint32() | 0;
    this.s1 = source.nextUint32() | 0;
    this.s2 = source.nextUint32() | 0;
    this.s3 = source.nextUint32() | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 0x9e3779b9 | 0;
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform integer in [0, n) for n ≤ 2^32, without modulo bias. */
  nextInt(n: number): number {
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A fast stream for (`rng`'s key, `label`). */
export function randomStream(rng: Rng, label: string): RandomStream {
  return new RandomStream(deriveRng(rng, label));
}
