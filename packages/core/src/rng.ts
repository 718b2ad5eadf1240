import { fnv1a32 } from './hash.js';
import { OptionError } from './errors.js';

/**
 * Counter-based random numbers (Philox4x32-10, Salmon et al., "Parallel random numbers: as easy
 * as 1, 2, 3", SC 2011).
 *
 * Every draw is a pure function of (seed, rank, step, stream, position), so
 * - runs are reproducible, and a resumed run draws exactly what the uninterrupted one would;
 * - ranks agree on shared randomness (a shared Random-k mask) by using {@link SHARED_RANK};
 * - no generator state has to be checkpointed beyond `position`.
 *
 * Never use `Math.random` in Syncopate code.
 */
export interface Rng {
  /** The key this generator was made from. */
  readonly key: Readonly<RngKey>;
  /** How many 32-bit words have been drawn so far. */
  readonly position: number;
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform float in [0, 1) with 32 random bits. */
  nextFloat(): number;
  /** Uniform integer in [0, n), without modulo bias. */
  nextInt(n: number): number;
  /** Standard normal (Box–Muller). */
  nextNormal(): number;
  /** Fill `out` with uniform floats in [0, 1). */
  fillUniform(out: Float32Array | Float64Array): void;
  /** Jump to an absolute position (in 32-bit words). */
  seek(position: number): void;
}

/** What a random stream is keyed by. */
export interface RngKey {
  /** Run seed, an integer in [0, 2^53). */
  readonly seed: number;
  /** The drawing rank, or {@link SHARED_RANK} for draws that every rank must agree on. */
  readonly rank: number;
  /** Training step (or any other round counter), an integer in [0, 2^32). */
  readonly step: number;
  /** Which consumer draws: a name such as `topK/bucket-3`, or a number. */
  readonly stream: string | number;
}

/** Use as `rank` when every rank must draw the same numbers. */
export const SHARED_RANK = 0xffffffff;

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two unsigned 32-bit integers. */
function mulhi(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const m1 = a1 * b0 + ((a0 * b0) >>> 16);
  const m2 = a0 * b1 + (m1 & 0xffff);
  return (a1 * b1 + Math.floor(m1 / 65536) + Math.floor(m2 / 65536)) >>> 0;
}

/**
 * One Philox4x32-10 block: four 32-bit words from a 128-bit counter and 64-bit key.
 * Exposed for the known-answer test.
 */
export function philox4x32(counter: readonly [number, number, number, number], key: readonly [number, number], out = new Uint32Array(4)): Uint32Array {
  let c0 = counter[0] >>> 0;
  let c1 = counter[1] >>> 0;
  let c2 = counter[2] >>> 0;
  let c3 = counter[3] >>> 0;
  let k0 = key[0] >>> 0;
  let k1 = key[1] >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

class PhiloxRng implements Rng {
  readonly key: Readonly<RngKey>;
  private readonly k: [number, number];
  private readonly c: [number, number, number, number];
  private readonly block = new Uint32Array(4);
  private pos = 0;
  private spareNormal: number | undefined;

  constructor(key: RngKey) {
    const { seed, rank, step } = key;
    if (!Number.isSafeInteger(seed) || seed < 0) throw new OptionError('rng', 'seed', `must be an integer in [0, 2^53), got ${seed}`);
    if (!Number.isInteger(rank) || rank < 0 || rank > 0xffffffff) throw new OptionError('rng', 'rank', `must be an integer in [0, 2^32), got ${rank}`);
    if (!Number.isInteger(step) || step < 0 || step > 0xffffffff) throw new OptionError('rng', 'step', `must be an integer in [0, 2^32), got ${step}`);
    this.key = Object.freeze({ ...key });
    const stream = typeof key.stream === 'number' ? key.stream >>> 0 : fnv1a32(key.stream);
    this.k = [seed >>> 0, Math.floor(seed / 0x100000000) >>> 0];
    this.c = [0, step >>> 0, rank >>> 0, stream];
    this.refill();
  }

  get position(): number {
    return this.pos;
  }

  private refill(): void {
    this.c[0] = Math.floor(this.pos / 4) >>> 0;
    philox4x32(this.c, this.k, this.block);
  }

  nextUint32(): number {
    const value = this.block[this.pos & 3]!;
    this.pos++;
    if ((this.pos & 3) === 0) this.refill();
    return value;
  }

  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) throw new RangeError(`nextInt(n): n must be an integer in [1, 2^32], got ${n}`);
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  nextNormal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    const u1 = (this.nextUint32() + 1) / 4294967297; // (0, 1)
    const u2 = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  fillUniform(out: Float32Array | Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.nextFloat();
  }

  seek(position: number): void {
    if (!Number.isSafeInteger(position) || position < 0) throw new RangeError(`seek: position must be a non-negative integer, got ${position}`);
    this.pos = position;
    this.spareNormal = undefined;
    this.refill();
  }
}

/**
 * A generator for one (seed, rank, step, stream). Cheap to make: create one per use rather than
 * sharing one across steps.
 *
 * @example
 * ```ts
 * const rng = createRng({ seed: 42, rank: SHARED_RANK, step, stream: 'randomK/bucket-0' });
 * const index = rng.nextInt(length);
 * ```
 */
export function createRng(key: RngKey): Rng {
  return new PhiloxRng(key);
}
