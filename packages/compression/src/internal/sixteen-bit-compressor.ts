import type { CompressContext, Compressor } from '@syncopate/core';
import { where } from './context.js';
import { throwNonFinite } from './finite.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, openPayload, sealPayload } from './payload.js';

/** How one 16-bit float format is written and read. */
export interface SixteenBitFormat {
  readonly name: 'fp16' | 'bf16';
  readonly id: number;
  /** Values' name in error messages, e.g. `bfloat16`. */
  readonly label: string;
  /** Writes `half`; returns true when `input` holds NaN or ±Inf. */
  readonly encode: (input: Float32Array, half: Uint16Array) => boolean;
  readonly decode: (half: Uint16Array, out: Float32Array) => void;
}

/**
 * The shared body of the 16-bit casts (fp16, bf16): two bytes per element after the payload
 * header, gathered and decoded to float32 before summing.
 */
export class SixteenBitCompressor implements Compressor {
  readonly name: 'fp16' | 'bf16';
  readonly aggregation = 'gather';
  readonly unbiased = false;

  constructor(private readonly format: SixteenBitFormat) {
    this.name = format.name;
  }

  estimateRatio(length: number): number {
    return (HEADER_BYTES + 2 * length) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array): number {
    return HEADER_BYTES + 2 * input.length;
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    const n = input.length;
    const payload = createPayload(this.format.id, n, 2 * n);
    const body = bodyOf(payload);
    const half = new Uint16Array(body.buffer, body.byteOffset, n);
    if (this.format.encode(input, half)) throwNonFinite(input, where(this.name, 'compress', ctx), ctx.step);
    return sealPayload(payload);
  }

  decompress(payload: Uint8Array, out: Float32Array): void {
    const n = out.length;
    const body = openPayload(payload, this.format.id, n, this.name);
    expectBodyLength(body, 2 * n, this.name, `${n} ${this.format.label} values`);
    this.format.decode(new Uint16Array(body.buffer, body.byteOffset, n), out);
  }
}
