import {
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
import { keptCount } from '../internal/kept-count.js';
import { selectTopK } from '../internal/select-top-k.js';
import { decodeSparse, encodeSparse, openSparse, sparseWireBytes, valuesAt } from '../internal/sparse-payload.js';

const ID = COMPRESSOR_IDS.gTopK;
const NAME = 'gTopK';

/** Options of {@link gTopK}. */
export interface GTopKOptions {
  /** Fraction of elements kept locally and globally, in (0, 1]. Default 0.01. */
  readonly ratio?: number;
}

/**
 * gTop-k (Shi et al., "A distributed synchronous SGD algorithm with global top-k sparsification
 * for low bandwidth networks", ICDCS 2019): every rank sends its local top-k; the sum of those
 * sparse vectors, whose support grows up to size·k, is sparsified again to its own top-k, so the
 * result stays k-sparse.
 *
 * `reduce` gathers the local payloads, merges them and keeps the global top-k; `local` is this
 * rank's share of that result (its own values at the surviving indices), so error feedback keeps
 * everything else, including local values that lost the global selection. Deviation: the paper
 * merges pairwise up a tree (log₂ size rounds of k pairs); with only allgather available this
 * gathers size·k pairs and selects once, which gives the exact top-k of the summed local top-ks.
 */
export class GTopKCompressor implements Compressor {
  readonly name = NAME;
  readonly aggregation = 'sum';
  readonly unbiased = false;
  readonly contraction: number;

  constructor(private readonly options: Required<GTopKOptions>) {
    this.contraction = options.ratio;
  }

  estimateRatio(length: number): number {
    return sparseWireBytes(keptCount(this.options.ratio, length)) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array): number {
    return sparseWireBytes(keptCount(this.options.ratio, input.length));
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    const indices = selectTopK(input, keptCount(this.options.ratio, input.length), where(NAME, 'compress', ctx), ctx.step);
    return encodeSparse(ID, input.length, indices, valuesAt(input, indices));
  }

  decompress(payload: Uint8Array, out: Float32Array): void {
    decodeSparse(payload, ID, out, NAME);
  }

  /** Sum the local top-k payloads, then keep the top k of the sum (zeros elsewhere). */
  combine(payloads: readonly Uint8Array[], out: Float32Array, ctx: CompressContext): void {
    this.merge(payloads, out, ctx);
  }

  /** {@link combine}; returns a 0/1 map of the indices that survived. */
  private merge(payloads: readonly Uint8Array[], out: Float32Array, ctx: CompressContext): Uint8Array {
    const n = out.length;
    const opened = payloads.map((p) => openSparse(p, ID, n, NAME));
    const inUnion = new Uint8Array(n);
    out.fill(0);
    let unionSize = 0;
    for (const { indices, values } of opened) {
      for (let j = 0; j < indices.length; j++) {
        const i = indices[j]!;
        out[i] += values[j]!;
        if (inUnion[i] === 0) {
          inUnion[i] = 1;
          unionSize++;
        }
      }
    }
    const union = new Uint32Array(unionSize);
    for (let i = 0, u = 0; u < unionSize; i++) if (inUnion[i] === 1) union[u++] = i;
    const sums = valuesAt(out, union);
    const kept = selectTopK(sums, keptCount(this.options.ratio, n), where(NAME, 'combine', ctx), ctx.step);
    const survived = new Uint8Array(n);
    for (let j = 0; j < kept.length; j++) survived[union[kept[j]!]!] = 1;
    for (let u = 0; u < unionSize; u++) if (survived[union[u]!] === 0) out[union[u]!] = 0;
    return survived;
  }

  async reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void> {
    const own = this.compress(input, ctx);
    const survived = this.merge(await link.allgather(own), out, ctx);
    const { indices, values } = openSparse(own, ID, input.length, NAME);
    local.fill(0);
    for (let j = 0; j < indices.length; j++) if (survived[indices[j]!] === 1) local[indices[j]!] = values[j]!;
  }
}

/**
 * gTop-k: local top-k, then the global top-k of their sum, so every rank applies a k-sparse update.
 *
 * @example
 * ```ts
 * plugins: [gTopK({ ratio: 0.001 }), errorFeedback()]
 * ```
 */
export function gTopK(options: GTopKOptions = {}): PluginSpec<Required<GTopKOptions>> {
  knownOptions(NAME, options, ['ratio']);
  const resolved: Required<GTopKOptions> = {
    ratio: numberOption(NAME, 'ratio', options.ratio, { above: 0, max: 1 }, 0.01),
  };
  return compressorSpec({
    name: NAME,
    options: resolved,
    aggregation: 'sum',
    uses: ['allgather'],
    reason: 'gTop-k gathers every rank’s local top-k before selecting the global top-k',
    make: () => new GTopKCompressor(resolved),
  });
}
