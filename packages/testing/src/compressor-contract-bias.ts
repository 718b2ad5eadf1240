import type { CompressContext, Compressor } from '@syncopate/core';
import { compressContext } from './compressor-contract-context.js';

/** What {@link measureCompressorBias} found. */
export interface CompressorBiasReport {
  /** Draws made. */
  readonly draws: number;
  /** Mean of the decoded draws, per element. */
  readonly mean: Float64Array;
  /** Standard error of that mean (sample standard deviation / √draws), per element. */
  readonly standardError: Float64Array;
  /**
   * Largest |mean − x| / (standard error + floor) over elements. The floor, 1e-5 · max|x|,
   * stands for outcomes too rare to show up in the draws (an element that rounds down with
   * probability 1e-4 may never do so in 2000 draws, leaving a zero sample variance) and for
   * float32 rounding; biases of low-precision formats (fp16's 2^-12, 8-bit's 1/510) are far above it.
   */
  readonly worstZ: number;
  /** The element where it occurs. */
  readonly worstIndex: number;
}

/**
 * Decode `draws` independently seeded compressions of `input` and compare their mean with
 * `input`, element by element, in units of the mean's standard error. For an unbiased
 * compressor |z| stays below ~5 for every element (a false alarm has probability < 1e-5 per
 * element under a normal approximation); a biased one grows like √draws.
 */
export function measureCompressorBias(
  compressor: Compressor,
  input: Float32Array,
  draws: number,
  contextOf: (draw: number) => CompressContext = (draw) => compressContext({ seed: 1000 + draw }),
): CompressorBiasReport {
  const n = input.length;
  const sum = new Float64Array(n);
  const sumOfSquares = new Float64Array(n);
  const decoded = new Float32Array(n);
  for (let d = 0; d < draws; d++) {
    const ctx = contextOf(d);
    compressor.decompress(compressor.compress(input, ctx), decoded, ctx);
    for (let i = 0; i < n; i++) {
      sum[i] += decoded[i]!;
      sumOfSquares[i] += decoded[i]! * decoded[i]!;
    }
  }
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(input[i]!));
  const floor = 1e-5 * scale;
  const mean = new Float64Array(n);
  const standardError = new Float64Array(n);
  let worstZ = 0;
  let worstIndex = -1;
  for (let i = 0; i < n; i++) {
    mean[i] = sum[i]! / draws;
    const variance = Math.max(0, (sumOfSquares[i]! - draws * mean[i]! ** 2) / (draws - 1));
    standardError[i] = Math.sqrt(variance / draws);
    const z = Math.abs(mean[i]! - input[i]!) / (standardError[i]! + floor);
    if (z > worstZ) {
      worstZ = z;
      worstIndex = i;
    }
  }
  return { draws, mean, standardError, worstZ, worstIndex };
}
