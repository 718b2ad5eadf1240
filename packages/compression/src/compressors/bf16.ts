import { knownOptions, type PluginSpec } from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { decodeBfloat16, encodeBfloat16 } from '../internal/half-float.js';
import { SixteenBitCompressor } from '../internal/sixteen-bit-compressor.js';

/**
 * bfloat16: the upper 16 bits of each float32, rounded to nearest even. Same exponent range as
 * float32 (no overflow, no flush of small gradients), 8 significant bits: relative error
 * ≤ 2^-8 (Kalamkar et al., "A study of BFLOAT16 for deep learning training", 2019; PyTorch DDP's
 * `bf16_compress_hook`). Decoding is a shift.
 */
export class Bf16Compressor extends SixteenBitCompressor {
  constructor() {
    super({ name: 'bf16', id: COMPRESSOR_IDS.bf16, label: 'bfloat16', encode: encodeBfloat16, decode: decodeBfloat16 });
  }
}

/** Options of {@link bf16}: none. */
export type Bf16Options = Record<string, never>;

/**
 * bfloat16 compression: 2 bytes per element, float32's range with 8 significant bits.
 *
 * @example
 * ```ts
 * plugins: [bf16()]
 * ```
 */
export function bf16(options: Bf16Options = {}): PluginSpec<Bf16Options> {
  knownOptions('bf16', options, []);
  return compressorSpec({
    name: 'bf16',
    options: {},
    aggregation: 'gather',
    reason: 'bf16 payloads are gathered and decoded to float32 before summing',
    make: () => new Bf16Compressor(),
  });
}
