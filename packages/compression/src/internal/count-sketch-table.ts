/**
 * A Count Sketch (Charikar, Chen & Farach-Colton, "Finding frequent items in data streams",
 * ICALP 2002) of a dense vector: `rows` independent hash rows of `columns` counters. Element i
 * adds s_j(i) · x_i to counter h_j(i) of row j; the estimate of x_i is the median over rows of
 * s_j(i) · S[j][h_j(i)]. Sketches are linear, so the sum of sketches is the sketch of the sum.
 *
 * The hash of row j mixes (i, seed_j) with the murmur3 finaliser; its low bit is the sign s_j and
 * the other bits pick the column. Seeds come from randomness every rank shares, so all ranks
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
        table[offset + ((h >>> 1) % columns)] += h & 1 ? v : -v;
      }
    }
  }

  /** The median-of-rows estimate of every element, into `out`. */
  estimate(table: Float32Array, out: Float32Array): void {
    const { rows, columns, seeds } = this;
    const votes = new Float64Array(rows);
    for (let i = 0; i < out.length; i++) {
      for (let j = 0; j < rows; j++) {
        const h = mix(i, seeds[j]!);
        const counter = table[j * columns + ((h >>> 1) % columns)]!;
        votes[j] = h & 1 ? counter : -counter;
      }
      out[i] = median(votes);
    }
  }
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
