import { Capabilities, knownOptions, type CompressContext, type Compressor, type PluginSpec, type ReduceLink } from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { assertFinite } from '../internal/finite.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, floatsAt, openPayload, sealPayload } from '../internal/payload.js';

const ID = COMPRESSOR_IDS.identity;

/**
 * No compression: dense float32 values. Its `reduce` is one in-place allreduce, so it costs
 * exactly what plain data-parallel SGD costs; its payload (header + raw floats) is what a
 * gathered or point-to-point exchange sends. The default compressor of every trainer.
 */
export class IdentityCompressor implements Compressor {
  readonly name = 'identity';
  readonly aggregation = 'sum';
  readonly unbiased = true;
  readonly contraction = 1;

  estimateRatio(length: number): number {
    return (HEADER_BYTES + 4 * length) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array): number {
    return HEADER_BYTES + 4 * input.length;
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    assertFinite(input, `identity compress (${ctx.key})`, ctx.step);
    const payload = createPayload(ID, input.length, 4 * input.length);
    floatsAt(bodyOf(payload), 0, input.length).set(input);
    return sealPayload(payload);
  }

  decompress(payload: Uint8Array, out: Float32Array): void {
    const body = openPayload(payload, ID, out.length, 'identity');
    expectBodyLength(body, 4 * out.length, 'identity', `${out.length} float32 values`);
    out.set(floatsAt(body, 0, out.length));
  }

  async reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void> {
    assertFinite(input, `identity reduce (${ctx.key})`, ctx.step);
    local.set(input);
    out.set(input);
    await link.allreduce(out);
  }
}

/** Options of {@link identity}: none. */
export type IdentityOptions = Record<string, never>;

/**
 * The identity compressor: buffers travel as dense float32 and are summed by allreduce.
 *
 * @example
 * ```ts
 * createTrainer({ transport, model, data, plugins: [identity()] });
 * ```
 */
export function identity(options: IdentityOptions = {}): PluginSpec<IdentityOptions> {
  knownOptions('identity', options, []);
  return compressorSpec({
    name: 'identity',
    options: {},
    aggregation: 'sum',
    reason: 'identity sums dense float32 buffers across ranks',
    provides: [Capabilities.gossipPayloads],
    make: () => new IdentityCompressor(),
  });
}
