import { knownOptions, type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { throwNonFinite } from '../internal/finite.js';
import { decodeHalf, encodeHalf } from '../internal/half-float.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, openPayload, sealPayload } from '../internal/payload.js';

const ID = COMPRESSOR_IDS.fp16;

/**
 * IEEE half precision: each float32 rounds to the nearest fp16 (ties to even), halving the bytes.
 * Relative error ≤ 2^-11 for |x| in [2^-14, 65504]; smaller magnitudes lose precision
 * (subnormals, then zero below 2^-25) and larger ones saturate at ±65504. PyTorch DDP's
 * `fp16_compress_hook` does the same cast (Micikevicius et al., "Mixed precision training",
 * ICLR 2018). fp16 values are not summed in fp16 here: payloads are gathered and decoded.
 */
export class Fp16Compressor implements Compressor {
  readonly name = 'fp16';
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
    if (encodeHalf(input, half)) throwNonFinite(input, where('fp16', 'compress', ctx), ctx.step);
    return sealPayload(payload);
  }

  decompress(payload: Uint8Array, out: Float32Array): void {
    const n = out.length;
    const body = openPayload(payload, ID, n, 'fp16');
    expectBodyLength(body, 2 * n, 'fp16', `${n} fp16 values`);
    const half = new Uint16Array(body.buffer, body.byteOffset, n);
    decodeHalf(half, out);
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
