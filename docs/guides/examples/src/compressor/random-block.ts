import {
  Capabilities,
  Compressor,
  NonFiniteError,
  PayloadError,
  crc32,
  knownOptions,
  numberOption,
  type CompressContext,
  type PluginSpec,
  type ReduceLink,
} from '@syncopate/core';

/** Options of {@link randomBlock}. */
export interface RandomBlockOptions {
  /** Fraction of the elements kept, in (0, 1]; the block holds k = ⌈ratio · d⌉ elements. Default 0.01. */
  readonly ratio?: number;
}

const MAGIC = 0x5242_4b01; // 'RBK' + payload format version 1
const HEADER = 12; // magic, d, offset (u32 each)
const TRAILER = 4; // CRC-32 of everything before it

/**
 * Random-block sparsification: keep k consecutive elements (cyclically) starting at a random
 * offset, scaled by d/k. A block variant of random-k sparsification (Stich, Cordonnier & Jaggi,
 * "Sparsified SGD with memory", NeurIPS 2018): each element lies in exactly k of the d possible
 * blocks, so it is kept with probability k/d and E[C(x)] = x — unbiased.
 *
 * The offset comes from the randomness every rank shares (`ctx.sharedRng`), so all ranks keep the
 * same block: the k values can be summed directly by an allreduce (`aggregation: 'sum'`), and
 * only one offset, not k indices, describes the mask.
 */
export class RandomBlock implements Compressor {
  readonly name = 'randomBlock';
  readonly aggregation = 'sum' as const;
  readonly unbiased = true;

  constructor(private readonly ratio: number) {}

  /** k for a buffer of `length` elements. */
  kept(length: number): number {
    return Math.min(length, Math.max(1, Math.ceil(this.ratio * length)));
  }

  estimateRatio(length: number): number {
    return (HEADER + 4 * this.kept(length) + TRAILER) / (4 * length);
  }

  wireBytes(input: Float32Array): number {
    return HEADER + 4 * this.kept(input.length) + TRAILER;
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    const { offset, k, scale } = this.block(input, ctx);
    const payload = new Uint8Array(HEADER + 4 * k + TRAILER);
    const view = new DataView(payload.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, input.length, true);
    view.setUint32(8, offset, true);
    for (let j = 0; j < k; j++) view.setFloat32(HEADER + 4 * j, scale * input[(offset + j) % input.length]!, true);
    view.setUint32(payload.length - TRAILER, crc32(payload, 0, payload.length - TRAILER), true);
    return payload;
  }

  decompress(payload: Uint8Array, out: Float32Array): void {
    const d = out.length;
    const k = this.kept(d);
    if (payload.length !== HEADER + 4 * k + TRAILER) throw new PayloadError(`randomBlock: payload has ${payload.length} bytes, expected ${HEADER + 4 * k + TRAILER} for ${d} elements`);
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    if (view.getUint32(payload.length - TRAILER, true) !== crc32(payload, 0, payload.length - TRAILER)) throw new PayloadError('randomBlock: payload checksum mismatch (corrupted)');
    if (view.getUint32(0, true) !== MAGIC) throw new PayloadError('randomBlock: not a randomBlock payload of format version 1');
    if (view.getUint32(4, true) !== d) throw new PayloadError(`randomBlock: payload is for ${view.getUint32(4, true)} elements, not ${d}`);
    const offset = view.getUint32(8, true);
    if (offset >= d) throw new PayloadError(`randomBlock: offset ${offset} is outside ${d} elements`);
    out.fill(0);
    for (let j = 0; j < k; j++) out[(offset + j) % d] = view.getFloat32(HEADER + 4 * j, true);
  }

  /** Every rank keeps the same block, so summing the k kept values is one small allreduce. */
  async reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void> {
    const { offset, k, scale } = this.block(input, ctx);
    const values = new Float32Array(k);
    for (let j = 0; j < k; j++) values[j] = scale * input[(offset + j) % input.length]!;
    local.fill(0);
    for (let j = 0; j < k; j++) local[(offset + j) % input.length] = values[j]!;
    await link.allreduce(values);
    out.fill(0);
    for (let j = 0; j < k; j++) out[(offset + j) % input.length] = values[j]!;
  }

  /** The block of this (step, key), the same on every rank; refuses NaN/Inf anywhere in `input`. */
  private block(input: Float32Array, ctx: CompressContext): { offset: number; k: number; scale: number } {
    for (let i = 0; i < input.length; i++) if (!Number.isFinite(input[i]!)) throw new NonFiniteError(`randomBlock ${ctx.key}`, i, input[i]!);
    const k = this.kept(input.length);
    return { offset: input.length === 0 ? 0 : ctx.sharedRng.nextInt(input.length), k, scale: input.length / k };
  }
}

/**
 * Random-block sparsification, unbiased, summed by allreduce.
 *
 * @example
 * ```ts
 * plugins: [localSgd({ period: 4, stream: 'delta' }), randomBlock({ ratio: 0.05 })]
 * ```
 */
export function randomBlock(options: RandomBlockOptions = {}): PluginSpec<Required<RandomBlockOptions>> {
  knownOptions('randomBlock', options, ['ratio']);
  const resolved = Object.freeze({ ratio: numberOption('randomBlock', 'ratio', options.ratio, { above: 0, max: 1 }, 0.01) });
  return Object.freeze<PluginSpec<Required<RandomBlockOptions>>>({
    kind: 'compressor',
    name: 'randomBlock',
    options: resolved,
    requires: Object.freeze([{ capability: Capabilities.allreduce, from: 'collective', reason: 'randomBlock sums the kept values with an allreduce' }]),
    register(registrar) {
      registrar.register(Compressor, { useFactory: () => new RandomBlock(resolved.ratio) });
    },
  });
}
