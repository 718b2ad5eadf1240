import {
  booleanOption,
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
import { assertFinite } from '../internal/finite.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, floatsAt, openPayload, sealPayload } from '../internal/payload.js';
import { randomStream } from '../internal/random-stream.js';
import { sampleIndices } from '../internal/sample-indices.js';
import { combineSparse, decodeSparse, encodeSparse, sparseWireBytes, valuesAt } from '../internal/sparse-payload.js';
import { keptCount } from '../internal/kept-count.js';

/** Options of {@link randomK}. */
export interface RandomKOptions {
  /** Fraction of elements kept, in (0, 1]; k = ⌈ratio · d⌉. Default 0.01. */
  readonly ratio?: number;
  /**
   * Draw the mask from the randomness every rank shares, so all ranks keep the same indices and
   * only the k values travel; they are then summed by allreduce (`sum` aggregation). Default false:
   * each rank draws its own mask and sends index/value pairs (`gather`).
   */
  readonly sharedMask?: boolean;
  /**
   * Scale kept values by d/k, making the compressor unbiased (the survey's "subsampling").
   * Default false: values are kept as they are, a k/d-contraction meant for error feedback.
   */
  readonly rescale?: boolean;
}

/**
 * Random-k sparsification (Stich et al., "Sparsified SGD with memory", NeurIPS 2018; Konečný
 * et al., "Federated learning: strategies for improving communication efficiency", 2016): keep k
 * uniformly chosen elements. Unscaled it satisfies E‖C(x) − x‖² = (1 − k/d)‖x‖²; scaled by d/k it
 * is unbiased. With a shared mask ("created by the server and then distributed", survey §VI-A)
 * every rank keeps the same indices, so the values alone are allreduced.
 */
export class RandomKCompressor implements Compressor {
  readonly name = 'randomK';
  readonly aggregation: 'sum' | 'gather';
  readonly unbiased: boolean;
  readonly contraction: number | undefined;
  private readonly id: number;

  constructor(private readonly options: Required<RandomKOptions>) {
    this.aggregation = options.sharedMask ? 'sum' : 'gather';
    this.unbiased = options.rescale;
    this.contraction = options.rescale ? undefined : options.ratio;
    this.id = options.sharedMask ? COMPRESSOR_IDS.randomKSharedMask : COMPRESSOR_IDS.randomK;
  }

  estimateRatio(length: number): number {
    return this.bytes(length) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array): number {
    return this.bytes(input.length);
  }

  private bytes(length: number): number {
    const k = keptCount(this.options.ratio, length);
    return this.options.sharedMask ? HEADER_BYTES + 4 * k : sparseWireBytes(k);
  }

  /** The mask of this (step, key): shared by all ranks, or this rank's own. */
  private mask(length: number, ctx: CompressContext): Uint32Array {
    const source = this.options.sharedMask ? ctx.sharedRng : ctx.rng;
    return sampleIndices(randomStream(source, 'randomK'), length, keptCount(this.options.ratio, length));
  }

  private scale(length: number, k: number): number {
    return this.options.rescale ? length / k : 1;
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    assertFinite(input, where('randomK', 'compress', ctx), ctx.step);
    const n = input.length;
    const indices = this.mask(n, ctx);
    const values = valuesAt(input, indices, this.scale(n, indices.length));
    if (!this.options.sharedMask) return encodeSparse(this.id, n, indices, values);
    const payload = createPayload(this.id, n, 4 * values.length);
    floatsAt(bodyOf(payload), 0, values.length).set(values);
    return sealPayload(payload);
  }

  decompress(payload: Uint8Array, out: Float32Array, ctx: CompressContext): void {
    if (!this.options.sharedMask) return decodeSparse(payload, this.id, out, 'randomK');
    const indices = this.mask(out.length, ctx);
    const values = this.openValues(payload, out.length, indices.length);
    out.fill(0);
    for (let j = 0; j < indices.length; j++) out[indices[j]!] = values[j]!;
  }

  combine(payloads: readonly Uint8Array[], out: Float32Array, ctx: CompressContext): void {
    if (!this.options.sharedMask) return combineSparse(payloads, this.id, out, 'randomK');
    const indices = this.mask(out.length, ctx);
    const sums = new Float32Array(indices.length);
    for (const payload of payloads) {
      const values = this.openValues(payload, out.length, indices.length);
      for (let j = 0; j < sums.length; j++) sums[j] += values[j]!;
    }
    out.fill(0);
    for (let j = 0; j < indices.length; j++) out[indices[j]!] = sums[j]!;
  }

  async reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void> {
    assertFinite(input, where('randomK', 'reduce', ctx), ctx.step);
    const indices = this.mask(input.length, ctx);
    const values = valuesAt(input, indices, this.scale(input.length, indices.length));
    local.fill(0);
    for (let j = 0; j < indices.length; j++) local[indices[j]!] = values[j]!;
    if (this.options.sharedMask) {
      await link.allreduce(values);
      out.fill(0);
      for (let j = 0; j < indices.length; j++) out[indices[j]!] = values[j]!;
      return;
    }
    this.combine(await link.allgather(this.compress(input, ctx)), out, ctx);
  }

  private openValues(payload: Uint8Array, n: number, k: number): Float32Array {
    const body = openPayload(payload, this.id, n, 'randomK');
    expectBodyLength(body, 4 * k, 'randomK', `${k} shared-mask values`);
    return floatsAt(body, 0, k);
  }
}

/**
 * Random-k sparsification, with a private or a shared (allreduce-able) mask.
 *
 * @example
 * ```ts
 * plugins: [randomK({ ratio: 0.01, sharedMask: true }), errorFeedback()]
 * ```
 */
export function randomK(options: RandomKOptions = {}): PluginSpec<Required<RandomKOptions>> {
  knownOptions('randomK', options, ['ratio', 'sharedMask', 'rescale']);
  const resolved: Required<RandomKOptions> = {
    ratio: numberOption('randomK', 'ratio', options.ratio, { above: 0, max: 1 }, 0.01),
    sharedMask: booleanOption('randomK', 'sharedMask', options.sharedMask, false),
    rescale: booleanOption('randomK', 'rescale', options.rescale, false),
  };
  return compressorSpec({
    name: 'randomK',
    options: resolved,
    aggregation: resolved.sharedMask ? 'sum' : 'gather',
    reason: resolved.sharedMask
      ? 'shared-mask Random-k sums the k kept values across ranks'
      : 'each rank keeps different indices, so index/value pairs are gathered',
    make: () => new RandomKCompressor(resolved),
  });
}
