import {
  OptionError,
  PayloadError,
  knownOptions,
  numberOption,
  type CompressContext,
  type Compressor,
  type PluginSpec,
  type ReduceLink,
} from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { SketchHashes } from '../internal/count-sketch-table.js';
import { assertFinite } from '../internal/finite.js';
import { keptCount } from '../internal/kept-count.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, floatsAt, openPayload, sealPayload, uint32sAt } from '../internal/payload.js';
import { selectTopK } from '../internal/select-top-k.js';
import { valuesAt } from '../internal/sparse-payload.js';

const ID = COMPRESSOR_IDS.countSketch;
const NAME = 'countSketch';

/** Options of {@link countSketch}. */
export interface CountSketchOptions {
  /** Fraction k/d of heavy hitters recovered, in (0, 1]. Default 0.01. */
  readonly ratio?: number;
  /** Hash rows of the sketch (the median is taken over them). Default 5. */
  readonly rows?: number;
  /** Counters per row, as a multiple of k. Default 10. */
  readonly columnsPerK?: number;
  /**
   * Exact second round: recover `secondRound · k` candidates from the summed sketch, allreduce
   * every rank's exact values at them, and keep the top k of the exact sums. 0 (default) uses
   * the sketch estimates directly.
   */
  readonly secondRound?: number;
}

/**
 * Sketched-SGD (Ivkin et al., "Communication-efficient distributed SGD with sketching",
 * NeurIPS 2019): each rank sends a Count Sketch of its (error-accumulated) buffer; sketches are
 * linear, so they are summed by allreduce; the heavy hitters (top k by median estimate) of the
 * summed sketch become the update. With `secondRound`, the candidates' exact sums are fetched
 * in one more allreduce of `secondRound · k` values and the top k of those is kept.
 *
 * `local`, for error feedback, is this rank's own values at the recovered indices (the paper
 * zeroes the accumulated error there); with the second round the ranks' `local`s sum exactly to
 * the result, with a single round the result is the sketch's estimate of that sum.
 */
export class CountSketchCompressor implements Compressor {
  readonly name = NAME;
  readonly aggregation = 'sum';
  readonly unbiased = false;

  constructor(private readonly options: Required<CountSketchOptions>) {}

  private shape(length: number): { k: number; rows: number; columns: number } {
    const k = keptCount(this.options.ratio, length);
    return { k, rows: this.options.rows, columns: Math.max(1, Math.ceil(this.options.columnsPerK * k)) };
  }

  private bytes(length: number): number {
    const { rows, columns } = this.shape(length);
    return HEADER_BYTES + 8 + 4 * rows * columns;
  }

  estimateRatio(length: number): number {
    return this.bytes(length) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array): number {
    return this.bytes(input.length);
  }

  private hashes(length: number, ctx: CompressContext): SketchHashes {
    const { rows, columns } = this.shape(length);
    return new SketchHashes(rows, columns, ctx.sharedRng);
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    assertFinite(input, where(NAME, 'compress', ctx), ctx.step);
    const hashes = this.hashes(input.length, ctx);
    const payload = createPayload(ID, input.length, 8 + 4 * hashes.rows * hashes.columns);
    const body = bodyOf(payload);
    uint32sAt(body, 0, 2).set([hashes.rows, hashes.columns]);
    hashes.sketch(input, floatsAt(body, 8, hashes.rows * hashes.columns));
    return sealPayload(payload);
  }

  private openTable(payload: Uint8Array, n: number): Float32Array {
    const { rows, columns } = this.shape(n);
    const body = openPayload(payload, ID, n, NAME);
    expectBodyLength(body, 8 + 4 * rows * columns, NAME, `a ${rows}×${columns} sketch`);
    const dims = uint32sAt(body, 0, 2);
    if (dims[0] !== rows || dims[1] !== columns) throw new PayloadError(`${NAME}: payload sketch is ${dims[0]}×${dims[1]}, expected ${rows}×${columns}`);
    return floatsAt(body, 8, rows * columns);
  }

  /** Write the top-k heavy hitters of `table` into `out` (zeros elsewhere); returns their indices. */
  private unsketch(table: Float32Array, out: Float32Array, k: number, ctx: CompressContext): Uint32Array {
    const hashes = this.hashes(out.length, ctx);
    const estimates = new Float32Array(out.length);
    hashes.estimate(table, estimates);
    const indices = selectTopK(estimates, k, where(NAME, 'unsketch', ctx), ctx.step);
    out.fill(0);
    for (let j = 0; j < indices.length; j++) out[indices[j]!] = estimates[indices[j]!]!;
    return indices;
  }

  decompress(payload: Uint8Array, out: Float32Array, ctx: CompressContext): void {
    this.unsketch(this.openTable(payload, out.length), out, this.shape(out.length).k, ctx);
  }

  /** Sum the sketches, then recover the heavy hitters of the sum. */
  combine(payloads: readonly Uint8Array[], out: Float32Array, ctx: CompressContext): void {
    const tables = payloads.map((p) => this.openTable(p, out.length));
    const sum = new Float32Array(tables[0]?.length ?? 0);
    for (const table of tables) for (let t = 0; t < sum.length; t++) sum[t] += table[t]!;
    this.unsketch(sum, out, this.shape(out.length).k, ctx);
  }

  async reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void> {
    assertFinite(input, where(NAME, 'reduce', ctx), ctx.step);
    const n = input.length;
    const { k } = this.shape(n);
    const hashes = this.hashes(n, ctx);
    const table = new Float32Array(hashes.rows * hashes.columns);
    hashes.sketch(input, table);
    await link.allreduce(table);
    let kept: Uint32Array;
    if (this.options.secondRound === 0) {
      kept = this.unsketch(table, out, k, ctx);
    } else {
      const candidates = this.unsketch(table, out, Math.min(n, Math.ceil(this.options.secondRound * k)), ctx);
      const exact = valuesAt(input, candidates);
      await link.allreduce(exact);
      const best = selectTopK(exact, k, where(NAME, 'second round', ctx), ctx.step);
      kept = new Uint32Array(best.length);
      out.fill(0);
      for (let j = 0; j < best.length; j++) {
        kept[j] = candidates[best[j]!]!;
        out[kept[j]!] = exact[best[j]!]!;
      }
    }
    local.fill(0);
    for (let j = 0; j < kept.length; j++) local[kept[j]!] = input[kept[j]!]!;
  }
}

/**
 * Count-sketch compression (Sketched-SGD): summed sketches, heavy-hitter recovery, optional
 * exact second round.
 *
 * @example
 * ```ts
 * plugins: [countSketch({ ratio: 0.001, rows: 5, columnsPerK: 10, secondRound: 4 }), errorFeedback()]
 * ```
 */
export function countSketch(options: CountSketchOptions = {}): PluginSpec<Required<CountSketchOptions>> {
  knownOptions(NAME, options, ['ratio', 'rows', 'columnsPerK', 'secondRound']);
  const resolved: Required<CountSketchOptions> = {
    ratio: numberOption(NAME, 'ratio', options.ratio, { above: 0, max: 1 }, 0.01),
    rows: numberOption(NAME, 'rows', options.rows, { min: 1, max: 64, integer: true }, 5),
    columnsPerK: numberOption(NAME, 'columnsPerK', options.columnsPerK, { above: 0 }, 10),
    secondRound: numberOption(NAME, 'secondRound', options.secondRound, { min: 0 }, 0),
  };
  if (resolved.secondRound > 0 && resolved.secondRound < 1) {
    throw new OptionError(NAME, 'secondRound', `must be 0 (off) or >= 1 (candidates per kept element), got ${resolved.secondRound}`);
  }
  return compressorSpec({
    name: NAME,
    options: resolved,
    aggregation: 'sum',
    reason: 'count sketches are linear and are summed across ranks by allreduce',
    make: () => new CountSketchCompressor(resolved),
  });
}
