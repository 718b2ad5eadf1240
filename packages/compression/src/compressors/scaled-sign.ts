import { PayloadError, knownOptions, type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
import { packSigns, paddingBitsClear, signBytes, unpackSigns } from '../internal/bit-pack.js';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { throwNonFinite } from '../internal/finite.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, floatsAt, openPayload, sealPayload } from '../internal/payload.js';

/**
 * Scaled sign: C(x) = (‖x‖₁ / d) · sign(x), one bit per element plus one float. The sign of
 * signSGD (Bernstein et al., "signSGD: compressed optimisation for non-convex problems",
 * ICML 2018) carries no magnitude; scaling by the mean magnitude, as EF-signSGD does
 * (Karimireddy et al., "Error feedback fixes SignSGD and other gradient compression schemes",
 * ICML 2019), keeps the update's size, and makes C a δ-compressor with
 * δ = ‖x‖₁² / (d‖x‖₂²) ≥ 1/d. sign(0) is taken as +1.
 */
export class ScaledSignCompressor implements Compressor {
  readonly aggregation = 'gather';
  readonly unbiased = false;

  constructor(
    readonly name: 'scaledSign' | 'efSignSgd',
    private readonly id: number,
  ) {}

  estimateRatio(length: number): number {
    return (HEADER_BYTES + 4 + signBytes(length)) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array): number {
    return HEADER_BYTES + 4 + signBytes(input.length);
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    const n = input.length;
    const sum = sumOfMagnitudes(input);
    if (!Number.isFinite(sum)) throwNonFinite(input, where(this.name, 'compress', ctx), ctx.step);
    const payload = createPayload(this.id, n, 4 + signBytes(n));
    const body = bodyOf(payload);
    floatsAt(body, 0, 1)[0] = n === 0 ? 0 : sum / n;
    packSigns(input, body.subarray(4));
    return sealPayload(payload);
  }

  decompress(payload: Uint8Array, out: Float32Array): void {
    const n = out.length;
    const body = openPayload(payload, this.id, n, this.name);
    expectBodyLength(body, 4 + signBytes(n), this.name, `a scale and ${n} sign bits`);
    const signs = body.subarray(4);
    if (!paddingBitsClear(signs, n)) throw new PayloadError(`${this.name}: payload has sign bits set past its last element`);
    const scale = floatsAt(body, 0, 1)[0]!;
    unpackSigns(signs, scale, -scale, out);
  }
}

/** ‖x‖₁ with four partial sums (one add chain per element would wait on the previous add). */
function sumOfMagnitudes(input: Float32Array): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let i = 0;
  for (; i + 3 < input.length; i += 4) {
    a += Math.abs(input[i]!);
    b += Math.abs(input[i + 1]!);
    c += Math.abs(input[i + 2]!);
    d += Math.abs(input[i + 3]!);
  }
  for (; i < input.length; i++) a += Math.abs(input[i]!);
  return a + b + (c + d);
}

/** Options of {@link scaledSign}: none. */
export type ScaledSignOptions = Record<string, never>;

/**
 * signSGD's sign, scaled by the mean magnitude: 1 bit per element. Biased; pair it with
 * `errorFeedback()` (that pairing is {@link efSignSgd}) or accept signSGD's bias.
 *
 * @example
 * ```ts
 * plugins: [scaledSign()]
 * ```
 */
export function scaledSign(options: ScaledSignOptions = {}): PluginSpec<ScaledSignOptions> {
  knownOptions('scaledSign', options, []);
  return compressorSpec({
    name: 'scaledSign',
    options: {},
    aggregation: 'gather',
    reason: 'each rank scales its signs by its own mean magnitude, so payloads are gathered and decoded',
    make: () => new ScaledSignCompressor('scaledSign', COMPRESSOR_IDS.scaledSign),
  });
}
