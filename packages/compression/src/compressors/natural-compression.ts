import { PayloadError, knownOptions, type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
import { packSigns, signBytes } from '../internal/bit-pack.js';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { throwNonFinite } from '../internal/finite.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, openPayload, sealPayload } from '../internal/payload.js';
import { counterKey, naturalExponents } from '../internal/stochastic-rounding.js';

const ID = COMPRESSOR_IDS.naturalCompression;

/** 2^(e − 127) for every biased exponent e, 0 for e = 0 (255 never occurs). */
const POWERS = (() => {
  const table = new Float32Array(256);
  for (let e = 1; e < 255; e++) table[e] = 2 ** (e - 127);
  return table;
})();

/**
 * Natural compression (Horváth et al., "Natural compression for distributed deep learning",
 * 2019): each element is rounded to one of the two powers of two around it,
 * 2^⌊log2|t|⌋ or 2^⌈log2|t|⌉, choosing the upper one with probability (|t| − 2^⌊·⌋) / 2^⌊·⌋.
 * That is the unbiased probability; the survey's printed p(t) (Eq. 17) is not (its erratum 6).
 * Only the sign and the float32 exponent travel: 9 bits per element, variance at most 1/8 of
 * |t|². On float32 bits the rounding is exact: round up with probability mantissa / 2^23.
 * Subnormals round between 0 and 2^-126 the same way; magnitudes in [2^127, 2^128) always
 * round down (2^128 is not a float32), a bias no gradient meets.
 */
export class NaturalCompressor implements Compressor {
  readonly name = 'naturalCompression';
  readonly aggregation = 'gather';
  readonly unbiased = true;

  estimateRatio(length: number): number {
    return (HEADER_BYTES + length + signBytes(length)) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array): number {
    return HEADER_BYTES + input.length + signBytes(input.length);
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    const n = input.length;
    const payload = createPayload(ID, n, n + signBytes(n));
    const body = bodyOf(payload);
    const exponents = body.subarray(0, n);
    if (naturalExponents(input, counterKey(ctx.rng, 'naturalCompression'), exponents)) {
      throwNonFinite(input, where('naturalCompression', 'compress', ctx), ctx.step);
    }
    packSigns(input, body.subarray(n));
    return sealPayload(payload);
  }

  decompress(payload: Uint8Array, out: Float32Array): void {
    const n = out.length;
    const body = openPayload(payload, ID, n, 'naturalCompression');
    expectBodyLength(body, n + signBytes(n), 'naturalCompression', `${n} exponents and sign bits`);
    const signs = body.subarray(n);
    const sign = new Float32Array([-1, 1]);
    for (let i = 0; i < n; i++) {
      const exponent = body[i]!;
      if (exponent === 255) throw new PayloadError(`naturalCompression: element ${i} has the exponent of Inf/NaN`);
      out[i] = POWERS[exponent]! * sign[(signs[i >>> 3]! >>> (i & 7)) & 1]!; // no branch on the sign
    }
  }
}

/** Options of {@link naturalCompression}: none. */
export type NaturalCompressionOptions = Record<string, never>;

/**
 * Natural compression: unbiased stochastic rounding to a power of two, 9 bits per element.
 *
 * @example
 * ```ts
 * plugins: [naturalCompression()]
 * ```
 */
export function naturalCompression(options: NaturalCompressionOptions = {}): PluginSpec<NaturalCompressionOptions> {
  knownOptions('naturalCompression', options, []);
  return compressorSpec({
    name: 'naturalCompression',
    options: {},
    aggregation: 'gather',
    reason: 'natural-compression payloads are gathered and decoded before summing',
    make: () => new NaturalCompressor(),
  });
}
