import {
  PayloadError,
  booleanOption,
  knownOptions,
  type CompressContext,
  type Compressor,
  type PluginSpec,
  type ReduceLink,
} from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { throwNonFinite } from '../internal/finite.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, floatsAt, openPayload, sealPayload } from '../internal/payload.js';
import { counterKey, ternaryDigits } from '../internal/stochastic-rounding.js';

const ID = COMPRESSOR_IDS.ternGrad;
/** Ternary digits per byte: 3^5 = 243 ≤ 256. */
const TRITS_PER_BYTE = 5;

/** Options of {@link ternGrad}. */
export interface TernGradOptions {
  /**
   * Scalar sharing: ranks agree on the largest scalar s = max over ranks of max|x| before
   * ternarising (one small allgather), so every rank's values lie on the same grid. Default false.
   */
  readonly scalarSharing?: boolean;
}

/** The ternary digits {0, +1, −1} of every byte value below 243, five per byte. */
const TRIT_VALUES = (() => {
  const table = new Int8Array(243 * TRITS_PER_BYTE);
  for (let byte = 0; byte < 243; byte++) {
    let rest = byte;
    for (let t = 0; t < TRITS_PER_BYTE; t++) {
      const trit = rest % 3;
      table[byte * TRITS_PER_BYTE + t] = trit === 2 ? -1 : trit;
      rest = (rest - trit) / 3;
    }
  }
  return table;
})();

/**
 * TernGrad (Wen et al., "TernGrad: ternary gradients to reduce communication in distributed
 * deep learning", NeurIPS 2017): with s = max|x| over the bucket (layer-wise scalar), each
 * element becomes s · sign(xᵢ) · bᵢ with bᵢ ~ Bernoulli(|xᵢ|/s), which is unbiased. Five ternary
 * digits share a byte (1.6 bits per element, near the log2 3 ≈ 1.585 bound), plus the scalar.
 * With scalar sharing, the ranks' largest scalar is used everywhere (the paper's "scalar
 * sharing"), which makes the `sum` path's `reduce` do a 4-byte allgather first.
 */
export class TernGradCompressor implements Compressor {
  readonly name = 'ternGrad';
  readonly aggregation: 'gather' | 'sum';
  readonly unbiased = true;

  constructor(private readonly options: Required<TernGradOptions>) {
    this.aggregation = options.scalarSharing ? 'sum' : 'gather';
  }

  estimateRatio(length: number): number {
    return (HEADER_BYTES + 4 + Math.ceil(length / TRITS_PER_BYTE)) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array): number {
    return HEADER_BYTES + 4 + Math.ceil(input.length / TRITS_PER_BYTE);
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    return this.ternarise(input, maxMagnitude(input, where('ternGrad', 'compress', ctx), ctx.step), ctx);
  }

  /** Ternarise against the scalar `scale` (≥ max|x|). */
  private ternarise(input: Float32Array, scale: number, ctx: CompressContext): Uint8Array {
    const n = input.length;
    const payload = createPayload(ID, n, 4 + Math.ceil(n / TRITS_PER_BYTE));
    const body = bodyOf(payload);
    floatsAt(body, 0, 1)[0] = scale;
    const trits = body.subarray(4);
    if (scale === 0) return sealPayload(payload);
    ternaryDigits(input, 1 / floatsAt(body, 0, 1)[0]!, counterKey(ctx.rng, 'ternGrad'), trits);
    return sealPayload(payload);
  }

  decompress(payload: Uint8Array, out: Float32Array): void {
    const n = out.length;
    const body = openPayload(payload, ID, n, 'ternGrad');
    expectBodyLength(body, 4 + Math.ceil(n / TRITS_PER_BYTE), 'ternGrad', `a scalar and ${n} ternary digits`);
    const scale = floatsAt(body, 0, 1)[0]!;
    const trits = body.subarray(4);
    for (let o = 0; o < trits.length; o++) {
      const byte = trits[o]!;
      if (byte >= 243) throw new PayloadError(`ternGrad: byte ${o} of the body is ${byte}, not five ternary digits`);
      const base = byte * TRITS_PER_BYTE;
      const first = o * TRITS_PER_BYTE;
      const count = Math.min(TRITS_PER_BYTE, n - first);
      for (let t = 0; t < count; t++) out[first + t] = TRIT_VALUES[base + t]! * scale;
    }
  }

  async reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void> {
    const own = maxMagnitude(input, where('ternGrad', 'reduce', ctx), ctx.step);
    const scalars = await link.allgather(new Uint8Array(new Float32Array([own]).buffer));
    let shared = 0;
    for (const bytes of scalars) {
      if (bytes.length !== 4) throw new PayloadError(`ternGrad: a shared scalar is ${bytes.length} bytes, expected 4`);
      const value = new DataView(bytes.buffer, bytes.byteOffset, 4).getFloat32(0, true);
      if (!(value >= 0) || !Number.isFinite(value)) throw new PayloadError(`ternGrad: a rank shared the scalar ${value}`);
      if (value > shared) shared = value;
    }
    const payload = this.ternarise(input, shared, ctx);
    const payloads = await link.allgather(payload);
    this.decompress(payload, local);
    out.fill(0);
    const decoded = new Float32Array(out.length);
    for (const p of payloads) {
      this.decompress(p, decoded);
      for (let i = 0; i < out.length; i++) out[i] += decoded[i]!;
    }
  }
}

function maxMagnitude(input: Float32Array, where: string, step: number): number {
  const bits = new Uint32Array(input.buffer, input.byteOffset, input.length);
  let max = 0;
  let nonFinite = 0;
  for (let i = 0; i < input.length; i++) {
    nonFinite |= (((bits[i]! >>> 23) & 0xff) + 1) >>> 8; // exponent all ones: NaN or ±Inf
    const a = Math.abs(input[i]!);
    max = a > max ? a : max;
  }
  if (nonFinite !== 0) throwNonFinite(input, where, step);
  return max;
}

/**
 * TernGrad: unbiased ternary {−s, 0, +s} gradients, optionally with a scalar shared by all ranks.
 *
 * @example
 * ```ts
 * plugins: [ternGrad({ scalarSharing: true })]
 * ```
 */
export function ternGrad(options: TernGradOptions = {}): PluginSpec<Required<TernGradOptions>> {
  knownOptions('ternGrad', options, ['scalarSharing']);
  const resolved: Required<TernGradOptions> = {
    scalarSharing: booleanOption('ternGrad', 'scalarSharing', options.scalarSharing, false),
  };
  return compressorSpec({
    name: 'ternGrad',
    options: resolved,
    aggregation: resolved.scalarSharing ? 'sum' : 'gather',
    uses: ['allgather'],
    reason: resolved.scalarSharing
      ? 'TernGrad with scalar sharing gathers every rank’s scalar, then the ternary payloads'
      : 'TernGrad payloads carry each rank’s own scalar, so they are gathered and decoded',
    make: () => new TernGradCompressor(resolved),
  });
}
