import { knownOptions, type PluginSpec } from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { decodeHalf, encodeHalf } from '../internal/half-float.js';
import { SixteenBitCompressor } from '../internal/sixteen-bit-compressor.js';

/**
 * IEEE half precision: each float32 rounds to the nearest fp16 (ties to even), halving the bytes.
 * Relative error ≤ 2^-11 for |x| in [2^-14, 65504]; smaller magnitudes lose precision
 * (subnormals, then zero below 2^-25) and larger ones saturate at ±65504. PyTorch DDP's
 * `fp16_compress_hook` does the same cast (Micikevicius et al., "Mixed precision training",
 * ICLR 2018). fp16 values are not summed in fp16 here: payloads are gathered and decoded.
 */
export class Fp16Compressor extends SixteenBitCompressor {
  constructor() {
    super({ name: 'fp16', id: COMPRESSOR_IDS.fp16, label: 'fp16', encode: encodeHalf, decode: decodeHalf });
  }
}

/** Options of {@link fp16}: none. */
export type Fp16Options = Record<string, never>;

/**
 * Half-precision (fp16) compression: 2 bytes per element, gathered and decoded in float32.
 *
 * @example
 * ```ts
 * plugins: [fp16()]
 * ```
 */
export function fp16(options: Fp16Options = {}): PluginSpec<Fp16Options> {
  knownOptions('fp16', options, []);
  return compressorSpec({
    name: 'fp16',
    options: {},
    aggregation: 'gather',
    reason: 'fp16 payloads are gathered and decoded to float32 before summing',
    make: () => new Fp16Compressor(),
  });
}
