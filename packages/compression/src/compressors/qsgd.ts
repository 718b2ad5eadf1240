import { NonFiniteError, PayloadError, knownOptions, numberOption, type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
import { packCodes, packedBytes, paddingBitsClear, unpackCodes } from '../internal/bit-pack.js';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { throwNonFinite } from '../internal/finite.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, floatsAt, openPayload, sealPayload } from '../internal/payload.js';
import { counterKey, stochasticFloor } from '../internal/stochastic-rounding.js';

const ID = COMPRESSOR_IDS.qsgd;

/** Options of {@link qsgd}. */
export interface QsgdOptions {
  /** Quantisation levels s (codes 0..s per sign). Default 127, i.e. 8 bits per element with the sign. */
  readonly levels?: number;
  /** Elements per bucket; each bucket is scaled by its own 2-norm (the paper's d). Default 512. */
  readonly bucketSize?: number;
}

/**
 * QSGD (Alistarh et al., "QSGD: communication-efficient SGD via gradient quantization and
 * encoding", NeurIPS 2017). Per bucket v with norm ‖v‖₂, each element becomes
 * ‖v‖₂ · sgn(vᵢ) · ξᵢ where ξᵢ = l/s or (l + 1)/s, l = ⌊s|vᵢ|/‖v‖₂⌋, rounding up with
 * probability s|vᵢ|/‖v‖₂ − l, so E[ξᵢ] = |vᵢ|/‖v‖₂ and the compressor is unbiased (the survey's
 * Eq. 14 with l = 0 allowed). Codes are sign + level in 1 + ⌈log2(s + 1)⌉ bits (fixed width,
 * no Elias coding): a signed byte for s ≤ 127 (the default, 127, fills it), offset binary s ± l
 * otherwise.
 */
export class QsgdCompressor implements Compressor {
  readonly name = 'qsgd';
  readonly aggregation = 'gather';
  readonly unbiased = true;
  private readonly width: number;

  constructor(private readonly options: Required<QsgdOptions>) {
    this.width = 1 + Math.ceil(Math.log2(options.levels + 1));
  }

  private layout(length: number): { buckets: number; codeBytes: number } {
    return { buckets: Math.ceil(length / this.options.bucketSize), codeBytes: packedBytes(length, this.width) };
  }

  estimateRatio(length: number): number {
    const { buckets, codeBytes } = this.layout(length);
    return (HEADER_BYTES + 4 * buckets + codeBytes) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array): number {
    const { buckets, codeBytes } = this.layout(input.length);
    return HEADER_BYTES + 4 * buckets + codeBytes;
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    const n = input.length;
    const { buckets, codeBytes } = this.layout(n);
    const payload = createPayload(ID, n, 4 * buckets + codeBytes);
    const body = bodyOf(payload);
    const norms = floatsAt(body, 0, buckets);
    const codeArea = body.subarray(4 * buckets);
    const key = counterKey(ctx.rng, 'qsgd');
    const s = this.options.levels;
    const size = this.options.bucketSize;
    // Codes: one signed byte (±level) when the width is 8, else offset binary s ± level, packed.
    const bytes = this.width === 8 ? new Int8Array(codeArea.buffer, codeArea.byteOffset, n) : undefined;
    const wide = bytes ? undefined : new Uint32Array(n);
    // All norms first, then one long quantisation pass.
    const scales = new Float64Array(buckets);
    for (let b = 0; b < buckets; b++) scales[b] = this.bucketScale(input, b * size, Math.min(n, (b + 1) * size), norms, b, ctx);
    for (let b = 0; b < buckets; b++) {
      const start = b * size;
      const end = Math.min(n, start + size);
      // Signed bytes ±l, or offset-binary codes s ± l, in ⌈log2(2s + 1)⌉ = 1 + ⌈log2(s + 1)⌉ bits.
      if (bytes) stochasticFloor(input, start, end, 0, scales[b]!, s + 1, 0, key, bytes);
      else stochasticFloor(input, start, end, 0, scales[b]!, s + 1, s, key, wide!);
    }
    if (wide) packCodes(wide, this.width, codeArea);
    return sealPayload(payload);
  }

  /**
   * Store the bucket's norm, rounded up to float32, and return the scale s / ‖v‖₂ shrunk by
   * 2^-40: then |x| · scale < s for every element, so ⌊x · scale + u⌋ stays in [−s, s] without
   * a clamp, at a relative bias of 2^-40. 0 for a zero bucket.
   */
  private bucketScale(input: Float32Array, start: number, end: number, norms: Float32Array, b: number, ctx: CompressContext): number {
    // Four partial sums break the add-latency chain.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = start;
    for (; i + 3 < end; i += 4) {
      const x0 = input[i]!;
      const x1 = input[i + 1]!;
      const x2 = input[i + 2]!;
      const x3 = input[i + 3]!;
      s0 += x0 * x0;
      s1 += x1 * x1;
      s2 += x2 * x2;
      s3 += x3 * x3;
    }
    for (; i < end; i++) s0 += input[i]! * input[i]!;
    const norm = Math.sqrt(s0 + s1 + (s2 + s3));
    if (!Number.isFinite(norm)) throwNonFinite(input, where('qsgd', 'compress', ctx), ctx.step);
    const rounded = Math.fround(norm);
    norms[b] = rounded >= norm ? rounded : Math.fround(rounded * (1 + 2 ** -23));
    if (norms[b] === Infinity) throw new NonFiniteError(`${where('qsgd', 'compress', ctx)}: the 2-norm of the bucket starting here exceeds float32`, start, norm, ctx.step);
    return norms[b] === 0 ? 0 : (this.options.levels / norms[b]!) * (1 - 2 ** -40);
  }

  decompress(payload: Uint8Array, out: Float32Array): void {
    const n = out.length;
    const { buckets, codeBytes } = this.layout(n);
    const body = openPayload(payload, ID, n, 'qsgd');
    expectBodyLength(body, 4 * buckets + codeBytes, 'qsgd', `${n} codes of ${this.width} bits in buckets of ${this.options.bucketSize}`);
    const norms = floatsAt(body, 0, buckets);
    const codeArea = body.subarray(4 * buckets);
    const s = this.options.levels;
    const size = this.options.bucketSize;
    if (this.width === 8) {
      decodeBytes(new Int8Array(codeArea.buffer, codeArea.byteOffset, n), norms, size, s, out);
      return;
    }
    if (!paddingBitsClear(codeArea, n, this.width)) throw new PayloadError('qsgd: payload has bits set past its last code');
    const codes = new Uint32Array(n);
    unpackCodes(codeArea, this.width, codes);
    for (let b = 0; b < buckets; b++) {
      const start = b * size;
      const end = Math.min(n, start + size);
      const unit = norms[b]! / s;
      for (let i = start; i < end; i++) {
        const code = codes[i]!;
        if (code > 2 * s) throw new PayloadError(`qsgd: code ${code} at element ${i} is above 2s = ${2 * s}`);
        out[i] = (code - s) * unit;
      }
    }
  }
}

/**
 * out[i] = code · ‖v‖₂ / s. Whole groups of four codes are read as one little-endian int32
 * (the code area starts 4-byte aligned), which saves three loads in four.
 */
function decodeBytes(codes: Int8Array, norms: Float32Array, size: number, s: number, out: Float32Array): void {
  const n = codes.length;
  const words = new Int32Array(codes.buffer, codes.byteOffset, n >>> 2);
  for (let b = 0; b * size < n; b++) {
    const start = b * size;
    const end = Math.min(n, start + size);
    const unit = norms[b]! / s;
    let i = start;
    for (; i < end && (i & 3) !== 0; i++) out[i] = codes[i]! * unit;
    for (; i + 3 < end; i += 4) {
      const w = words[i >>> 2]!;
      out[i] = ((w << 24) >> 24) * unit;
      out[i + 1] = ((w << 16) >> 24) * unit;
      out[i + 2] = ((w << 8) >> 24) * unit;
      out[i + 3] = (w >> 24) * unit;
    }
    for (; i < end; i++) out[i] = codes[i]! * unit;
  }
}

/**
 * QSGD stochastic quantisation with `levels` levels per bucket norm; unbiased.
 *
 * @example
 * ```ts
 * plugins: [qsgd({ levels: 15, bucketSize: 512 })] // 5 bits per element
 * ```
 */
export function qsgd(options: QsgdOptions = {}): PluginSpec<Required<QsgdOptions>> {
  knownOptions('qsgd', options, ['levels', 'bucketSize']);
  const resolved: Required<QsgdOptions> = {
    levels: numberOption('qsgd', 'levels', options.levels, { min: 1, max: 32767, integer: true }, 127),
    bucketSize: numberOption('qsgd', 'bucketSize', options.bucketSize, { min: 1, max: 2 ** 31, integer: true }, 512),
  };
  return compressorSpec({
    name: 'qsgd',
    options: resolved,
    aggregation: 'gather',
    reason: 'QSGD codes are scaled by each rank’s own bucket norms, so payloads are gathered and decoded',
    make: () => new QsgdCompressor(resolved),
  });
}
