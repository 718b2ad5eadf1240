/**
 * A Count Sketch (Charikar, Chen & Farach-Colton, "Finding frequent items in data streams",
 * ICALP 2002) of a dense vector: `rows` independent hash rows of `columns` counters. Element i
 * adds s_j(i) · x_i to counter h_j(i) of row j; the estimate of x_i is the median over rows of
 * s_j(i) · S[j][h_j(i)]. Sketches are linear, so the sum of sketches is the sketch of the sum.
 *
 * The hash of row j mixes (i, seed_j) with the murmur3 finaliser; its low bit is the sign s_j and
 * its top 24 bits pick the column by multiply-shift, ⌊h₂₄ · columns / 2²⁴⌋ (no integer division). Seeds come from randomness every rank shares, so all ranks
 * hash alike and their sketches can be added.
 */
import type { Rng } from '@syncopate/core';
import { RandomStream, deriveRng } from './random-stream.js';

/** The hash functions of one sketch. */
export class SketchHashes {
  readonly seeds: Int32Array;

  constructor(
    readonly rows: number,
    readonly columns: number,
    shared: Rng,
  ) {
    const random = new RandomStream(deriveRng(shared, 'countSketch/hashes'));
    this.seeds = new Int32Array(rows);
    for (let j = 0; j < rows; j++) this.seeds[j] = random.nextUint32() | 0;
  }

  /** Add the sketch of `x` to `table` (rows × columns, row-major). */
  sketch(x: Float32Array, table: Float32Array): void {
    const { rows, columns, seeds } = this;
    for (let j = 0; j < rows; j++) {
      const seed = seeds[j]!;
      const offset = j * columns;
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        if (v === 0) continue;
        const h = mix(i, seed);
        table[offset + column(h, columns)] += (h & 1) * 2 * v - v;
      }
    }
  }

  /**
   * The median-of-rows estimate of every element, into `out`. Elements go in chunks, one row at
   * a time within a chunk, so the lookups of a pass hit one row of counters (a cache-sized
   * slice) rather than all rows at once.
   */
  estimate(table: Float32Array, out: Float32Array): void {
    const { rows, columns, seeds } = this;
    const n = out.length;
    const chunk = Math.min(n, ESTIMATE_CHUNK);
    const votes = new Float64Array(rows * chunk);
    const sorted = new Float64Array(rows);
    for (let first = 0; first < n; first += chunk) {
      const count = Math.min(chunk, n - first);
      for (let j = 0; j < rows; j++) {
        const seed = seeds[j]!;
        const offset = j * columns;
        const base = j * chunk;
        for (let t = 0; t < count; t++) votes[base + t] = vote(table, offset, columns, mix(first + t, seed));
      }
      if (rows === 5) {
        // The common case: a branch-free median of five (comparisons on data mispredict).
        for (let t = 0; t < count; t++) {
          out[first + t] = median5(votes[t]!, votes[chunk + t]!, votes[2 * chunk + t]!, votes[3 * chunk + t]!, votes[4 * chunk + t]!);
        }
      } else {
        for (let t = 0; t < count; t++) {
          for (let j = 0; j < rows; j++) sorted[j] = votes[j * chunk + t]!;
          out[first + t] = median(sorted);
        }
      }
    }
  }
}

/** Elements per estimation chunk. */
const ESTIMATE_CHUNK = 8192;

/** The column of hash `h`: multiply-shift on its top 24 bits. */
function column(h: number, columns: number): number {
  return ((h >>> 8) * columns * 5.9604644775390625e-8) | 0;
}

/** s_j(i) · S[j][h_j(i)] for the row starting at `offset`. */
function vote(table: Float32Array, offset: number, columns: number, h: number): number {
  return ((h & 1) * 2 - 1) * table[offset + column(h, columns)]!;
}

/**
 * Median of five with min/max only: dropping the smallest and the largest of a..d leaves f ≤ g
 * (f = max of the pair minima, g = min of the pair maxima), and the median of all five is the
 * median of (e, f, g).
 */
export function median5(a: number, b: number, c: number, d: number, e: number): number {
  const f = Math.max(Math.min(a, b), Math.min(c, d));
  const g = Math.min(Math.max(a, b), Math.max(c, d));
  return median3(e, f, g);
}

function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

function mix(i: number, seed: number): number {
  let h = Math.imul(i ^ seed, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Median of a few values (insertion sort in place). */
function median(values: Float64Array): number {
  const n = values.length;
  for (let a = 1; a < n; a++) {
    const v = values[a]!;
    let b = a - 1;
    while (b >= 0 && values[b]! > v) {
      values[b + 1] = values[b]!;
      b--;
    }
    values[b + 1] = v;
  }
  return n & 1 ? values[n >>> 1]! : (values[n / 2 - 1]! + values[n / 2]!) / 2;
}
