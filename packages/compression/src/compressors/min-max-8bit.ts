import { choiceOption, knownOptions, numberOption, type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { throwNonFinite } from '../internal/finite.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, floatsAt, openPayload, sealPayload } from '../internal/payload.js';
import { counterKey, stochasticFloor } from '../internal/stochastic-rounding.js';

const ID = COMPRESSOR_IDS.minMax8Bit;

/** Options of {@link minMax8Bit}. */
export interface MinMax8BitOptions {
  /** Elements per block; each block stores its own minimum and maximum. Default 2048. */
  readonly blockSize?: number;
  /**
   * `nearest` (default) rounds to the closest of the 256 levels (biased, like PyTorch's
   * per-tensor quantisation hook); `stochastic` rounds up with probability equal to the
   * fractional part, which makes the compressor unbiased.
   */
  readonly rounding?: 'nearest' | 'stochastic';
}

/**
 * 8-bit min-max (affine) quantisation: each block of `blockSize` elements keeps its minimum m and
 * maximum M as float32 and every element becomes the byte q = round(255 · (x − m) / (M − m)),
 * decoded as m + q · (M − m) / 255. The error per element is at most half a level,
 * (M − m) / 510, with `nearest` rounding (Dettmers, "8-bit approximations for parallelism in
 * deep learning", ICLR 2016; PyTorch's `quantization_hooks`).
 */
export class MinMax8BitCompressor implements Compressor {
  readonly name = 'minMax8Bit';
  readonly aggregation = 'gather';
  readonly unbiased: boolean;

  constructor(private readonly options: Required<MinMax8BitOptions>) {
    this.unbiased = options.rounding === 'stochastic';
  }

  private blocks(length: number): number {
    return Math.ceil(length / this.options.blockSize);
  }

  estimateRatio(length: number): number {
    return (HEADER_BYTES + 8 * this.blocks(length) + length) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array): number {
    return HEADER_BYTES + 8 * this.blocks(input.length) + input.length;
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    const n = input.length;
    const blockSize = this.options.blockSize;
    const blocks = this.blocks(n);
    const payload = createPayload(ID, n, 8 * blocks + n);
    const body = bodyOf(payload);
    const ranges = floatsAt(body, 0, 2 * blocks);
    const codes = body.subarray(8 * blocks);
    const stochastic = this.options.rounding === 'stochastic';
    const key = stochastic ? counterKey(ctx.rng, 'minMax8Bit') : undefined;
    const bits = new Uint32Array(input.buffer, input.byteOffset, n);
    for (let block = 0; block < blocks; block++) {
      const start = block * blockSize;
      const end = Math.min(n, start + blockSize);
      let min = Infinity;
      let max = -Infinity;
      let nonFinite = 0;
      for (let i = start; i < end; i++) {
        const x = input[i]!;
        nonFinite |= (((bits[i]! >>> 23) & 0xff) + 1) >>> 8; // exponent all ones: NaN or ±Inf
        min = x < min ? x : min;
        max = x > max ? x : max;
      }
      if (nonFinite !== 0) throwNonFinite(input, where('minMax8Bit', 'compress', ctx), ctx.step);
      ranges[2 * block] = min;
      ranges[2 * block + 1] = max;
      const range = ranges[2 * block + 1]! - ranges[2 * block]!;
      if (range === 0) continue; // every code stays 0
      const inverse = 255 / range;
      const low = ranges[2 * block]!;
      if (key !== undefined) {
        // t = (x − m)·255/(M − m) lies in [0, 255] (to a few ulps), so ⌊t + u⌋ fits a byte.
        stochasticFloor(input, start, end, -low, inverse, 1, 0, key, codes);
      } else {
        // t ∈ [0, 255] (to a few ulps): ⌊t + 1/2⌋ is the nearest level and fits a byte.
        for (let i = start; i < end; i++) codes[i] = ((input[i]! - low) * inverse + 0.5) | 0;
      }
    }
    return sealPayload(payload);
  }

  decompress(payload: Uint8Array, out: Float32Array): void {
    const n = out.length;
    const blockSize = this.options.blockSize;
    const blocks = this.blocks(n);
    const body = openPayload(payload, ID, n, 'minMax8Bit');
    expectBodyLength(body, 8 * blocks + n, 'minMax8Bit', `${n} codes in blocks of ${blockSize}`);
    const ranges = floatsAt(body, 0, 2 * blocks);
    const codes = body.subarray(8 * blocks);
    for (let block = 0; block < blocks; block++) {
      const start = block * blockSize;
      const end = Math.min(n, start + blockSize);
      const low = ranges[2 * block]!;
      const step = (ranges[2 * block + 1]! - low) / 255;
      for (let i = start; i < end; i++) out[i] = low + codes[i]! * step;
    }
  }
}

/**
 * 8-bit min-max quantisation per block: one byte per element plus two floats per block.
 *
 * @example
 * ```ts
 * plugins: [minMax8Bit({ blockSize: 4096, rounding: 'stochastic' })]
 * ```
 */
export function minMax8Bit(options: MinMax8BitOptions = {}): PluginSpec<Required<MinMax8BitOptions>> {
  knownOptions('minMax8Bit', options, ['blockSize', 'rounding']);
  const resolved: Required<MinMax8BitOptions> = {
    blockSize: numberOption('minMax8Bit', 'blockSize', options.blockSize, { min: 1, max: 2 ** 31, integer: true }, 2048),
    rounding: choiceOption('minMax8Bit', 'rounding', options.rounding, ['nearest', 'stochastic'] as const, 'nearest'),
  };
  return compressorSpec({
    name: 'minMax8Bit',
    options: resolved,
    aggregation: 'gather',
    reason: 'each rank quantises against its own minimum and maximum, so payloads are gathered and decoded',
    make: () => new MinMax8BitCompressor(resolved),
  });
}
