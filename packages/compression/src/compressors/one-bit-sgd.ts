import { PayloadError, knownOptions, type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
import { packSigns, paddingBitsClear, signBytes, unpackSigns } from '../internal/bit-pack.js';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { throwNonFinite } from '../internal/finite.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, floatsAt, openPayload, sealPayload } from '../internal/payload.js';

const ID = COMPRESSOR_IDS.oneBitSgd;
const NAME = 'oneBitSgd';

/**
 * 1-bit SGD (Seide et al., "1-bit stochastic gradient descent and its application to
 * data-parallel distributed training of speech DNNs", Interspeech 2014): each element is
 * quantised to one bit by its sign (threshold 0) and reconstructed as the mean of the elements
 * that share its bit, μ₊ for x ≥ 0 and μ₋ for x < 0, which minimises the squared error for that
 * bit pattern. Two floats per bucket (the paper keeps them per matrix column; here per bucket).
 * What the quantiser drops is carried by the error-feedback plugin, which the spec requires —
 * error feedback is half of the algorithm.
 */
export class OneBitSgdCompressor implements Compressor {
  readonly name = NAME;
  readonly aggregation = 'gather';
  readonly unbiased = false;

  estimateRatio(length: number): number {
    return (HEADER_BYTES + 8 + signBytes(length)) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array): number {
    return HEADER_BYTES + 8 + signBytes(input.length);
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    const n = input.length;
    // Branch-free on the float bits (a sign test on gradients mispredicts half the time);
    // −0 counts as positive, as in packSigns.
    const bits = new Uint32Array(input.buffer, input.byteOffset, n);
    let positiveSum = 0;
    let positiveCount = 0;
    let negativeSum = 0;
    for (let i = 0; i < n; i++) {
      const b = bits[i]!;
      const positive = ((b >>> 31) ^ 1) | (((b & 0x7fffffff) - 1) >>> 31);
      const x = input[i]!;
      positiveCount += positive;
      positiveSum += x * positive;
      negativeSum += x * (1 - positive);
    }
    if (!Number.isFinite(positiveSum + negativeSum)) throwNonFinite(input, where(NAME, 'compress', ctx), ctx.step);
    const payload = createPayload(ID, n, 8 + signBytes(n));
    const body = bodyOf(payload);
    const means = floatsAt(body, 0, 2);
    means[0] = positiveCount === 0 ? 0 : positiveSum / positiveCount;
    means[1] = positiveCount === n ? 0 : negativeSum / (n - positiveCount);
    packSigns(input, body.subarray(8));
    return sealPayload(payload);
  }

  decompress(payload: Uint8Array, out: Float32Array): void {
    const n = out.length;
    const body = openPayload(payload, ID, n, NAME);
    expectBodyLength(body, 8 + signBytes(n), NAME, `two means and ${n} bits`);
    const bits = body.subarray(8);
    if (!paddingBitsClear(bits, n)) throw new PayloadError(`${NAME}: payload has bits set past its last element`);
    const means = floatsAt(body, 0, 2);
    unpackSigns(bits, means[0]!, means[1]!, out);
  }
}

/** Options of {@link oneBitSgd}: none. */
export type OneBitSgdOptions = Record<string, never>;

/**
 * 1-bit SGD: one bit per element, reconstructed to the mean of its sign group; requires
 * `errorFeedback()`.
 *
 * @example
 * ```ts
 * plugins: [oneBitSgd(), errorFeedback()]
 * ```
 */
export function oneBitSgd(options: OneBitSgdOptions = {}): PluginSpec<OneBitSgdOptions> {
  knownOptions(NAME, options, []);
  return compressorSpec({
    name: NAME,
    options: {},
    aggregation: 'gather',
    reason: 'each rank reconstructs with its own two means, so payloads are gathered and decoded',
    needsErrorFeedback: true,
    make: () => new OneBitSgdCompressor(),
  });
}
