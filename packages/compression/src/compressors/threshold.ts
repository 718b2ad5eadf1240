import { knownOptions, numberOption, type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { throwNonFinite } from '../internal/finite.js';
import { combineSparse, decodeSparse, encodeSparse, sparseWireBytes, valuesAt } from '../internal/sparse-payload.js';

const ID = COMPRESSOR_IDS.threshold;

/** Options of {@link threshold}. */
export interface ThresholdOptions {
  /** Elements with |x| ≥ threshold are sent. Required, > 0. */
  readonly threshold?: number;
  /**
   * The kept fraction `estimateRatio` assumes, since the real one depends on the data.
   * Default 0.01.
   */
  readonly expectedDensity?: number;
}

/**
 * Threshold sparsification (Strom, "Scalable distributed DNN training using commodity GPU cloud
 * computing", Interspeech 2015): send every element whose magnitude reaches a fixed threshold τ
 * as an index/value pair. The payload size varies with the data (`wireBytes` counts it exactly;
 * `estimateRatio` can only assume `expectedDensity`). With error feedback the residual grows until
 * it crosses τ, so many elements may be sent (the survey's warning in §VI-B-1).
 */
export class ThresholdCompressor implements Compressor {
  readonly name = 'threshold';
  readonly aggregation = 'gather';
  readonly unbiased = false;

  constructor(private readonly options: Required<ThresholdOptions>) {}

  estimateRatio(length: number): number {
    return sparseWireBytes(Math.ceil(this.options.expectedDensity * length)) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array, ctx: CompressContext): number {
    return sparseWireBytes(this.count(input, ctx));
  }

  private count(input: Float32Array, ctx: CompressContext): number {
    const tau = this.options.threshold;
    let kept = 0;
    let probe = 0;
    for (let i = 0; i < input.length; i++) {
      const x = input[i]!;
      probe += x * 0;
      if (x >= tau || x <= -tau) kept++;
    }
    if (probe !== 0) throwNonFinite(input, where('threshold', 'compress', ctx), ctx.step);
    return kept;
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    const tau = this.options.threshold;
    const indices = new Uint32Array(this.count(input, ctx));
    let j = 0;
    for (let i = 0; i < input.length; i++) {
      const x = input[i]!;
      if (x >= tau || x <= -tau) indices[j++] = i;
    }
    return encodeSparse(ID, input.length, indices, valuesAt(input, indices));
  }

  decompress(payload: Uint8Array, out: Float32Array): void {
    decodeSparse(payload, ID, out, 'threshold');
  }

  combine(payloads: readonly Uint8Array[], out: Float32Array): void {
    combineSparse(payloads, ID, out, 'threshold');
  }
}

/**
 * Fixed-threshold sparsification: send the elements with |x| ≥ `threshold`.
 *
 * @example
 * ```ts
 * plugins: [threshold({ threshold: 1e-3 }), errorFeedback()]
 * ```
 */
export function threshold(options: ThresholdOptions = {}): PluginSpec<Required<ThresholdOptions>> {
  knownOptions('threshold', options, ['threshold', 'expectedDensity']);
  const resolved: Required<ThresholdOptions> = {
    threshold: numberOption('threshold', 'threshold', options.threshold, { above: 0 }),
    expectedDensity: numberOption('threshold', 'expectedDensity', options.expectedDensity, { above: 0, max: 1 }, 0.01),
  };
  return compressorSpec({
    name: 'threshold',
    options: resolved,
    aggregation: 'gather',
    reason: 'threshold payloads are index/value pairs with a different support on every rank, so they must be gathered',
    make: () => new ThresholdCompressor(resolved),
  });
}
