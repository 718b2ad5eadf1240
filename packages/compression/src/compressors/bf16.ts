import { knownOptions, type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { throwNonFinite } from '../internal/finite.js';
import { decodeBfloat16, encodeBfloat16 } from '../internal/half-float.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, openPayload, sealPayload } from '../internal/payload.js';

const ID = COMPRESSOR_IDS.bf16;

/**
 * bfloat16: the upper 16 bits of each float32, rounded to nearest even. Same exponent range as
 * float32 (no overflow, no flush of small gradients), 8 significant bits: relative error
 * ≤ 2^-8 (Kalamkar et al., "A study of BFLOAT16 for deep learning training", 2019; PyTorch DDP's
 * `bf16_compress_hook`). Decoding is a shift.
 */
export class Bf16Compressor implements Compressor {
  readonly name = 'bf16';
  readonly aggregation = 'gather';
  readonly unbiased = false;

  estimateRatio(length: number): number {
    return (HEADER_BYTES + 2 * length) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array): number {
    return HEADER_BYTES + 2 * input.length;
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    const n = input.length;
    const payload = createPayload(ID, n, 2 * n);
    const body = bodyOf(payload);
    const half = new Uint16Array(body.buffer, body.byteOffset, n);
    if (encodeBfloat16(input, half)) throwNonFinite(input, where('bf16', 'compress', ctx), ctx.step);
    return sealPayload(payload);
  }

  decompress(payload: Uint8Array, out: Float32Array): void {
    const n = out.length;
    const body = openPayload(payload, ID, n, 'bf16');
    expectBodyLength(body, 2 * n, 'bf16', `${n} bfloat16 values`);
    const half = new Uint16Array(body.buffer, body.byteOffset, n);
    decodeBfloat16(half, out);
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
