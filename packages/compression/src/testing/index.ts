/**
 * Test helpers for @syncopate/compression: one representative configuration of every compressor,
 * with the contract-suite options it needs, for composition-matrix tests elsewhere (every
 * compressor × every sync policy) and for this package's own contract test.
 */
import type { PluginSpec } from '@syncopate/core';
import {
  bf16,
  countSketch,
  deepGradientCompression,
  efSignSgd,
  fp16,
  gTopK,
  identity,
  minMax8Bit,
  naturalCompression,
  oneBitSgd,
  perBucket,
  powerSgd,
  qsgd,
  randomK,
  scaledSign,
  signSgdMajorityVote,
  ternGrad,
  threshold,
  topK,
} from '../index.js';

/** A compressor configuration and what the contract suite should expect of it. */
export interface CompressorExample {
  readonly label: string;
  readonly spec: PluginSpec;
  /** Draws random numbers (different seeds give different payloads). */
  readonly stochastic?: boolean;
  /** Keeps exactly the k largest magnitudes: k for a length. */
  readonly keepsLargest?: (length: number) => number;
  /** Payload size depends on the data, so `estimateRatio` is a guess. */
  readonly ratioIsExact?: boolean;
  /** `sum` compressors whose ranks' `local`s do not add up exactly to the result. */
  readonly localsSumToResult?: boolean;
  /** Needs an error-feedback plugin in a composition. */
  readonly needsErrorFeedback?: boolean;
}

const kept = (ratio: number) => (length: number) => Math.min(length, Math.max(1, Math.ceil(ratio * length - 1e-9)));

/**
 * Every compressor of the package in one or more configurations.
 *
 * @example
 * ```ts
 * for (const { label, spec } of compressorExamples()) it(`${label} trains with localSgd`, ...);
 * ```
 */
export function compressorExamples(): CompressorExample[] {
  return [
    { label: 'identity', spec: identity() },
    { label: 'fp16', spec: fp16() },
    { label: 'bf16', spec: bf16() },
    { label: 'minMax8Bit nearest', spec: minMax8Bit({ blockSize: 100 }) },
    { label: 'minMax8Bit stochastic', spec: minMax8Bit({ rounding: 'stochastic', blockSize: 7 }), stochastic: true },
    { label: 'qsgd 8-bit', spec: qsgd(), stochastic: true },
    { label: 'qsgd s=3 (3-bit codes)', spec: qsgd({ levels: 3, bucketSize: 16 }), stochastic: true },
    { label: 'qsgd s=1000 (11-bit codes)', spec: qsgd({ levels: 1000 }), stochastic: true },
    { label: 'ternGrad', spec: ternGrad(), stochastic: true },
    { label: 'ternGrad with scalar sharing', spec: ternGrad({ scalarSharing: true }), stochastic: true },
    { label: 'naturalCompression', spec: naturalCompression(), stochastic: true },
    { label: 'scaledSign', spec: scaledSign() },
    { label: 'efSignSgd', spec: efSignSgd(), needsErrorFeedback: true },
    { label: 'signSgdMajorityVote', spec: signSgdMajorityVote() },
    { label: 'oneBitSgd', spec: oneBitSgd(), needsErrorFeedback: true },
    { label: 'randomK', spec: randomK({ ratio: 0.1 }), stochastic: true },
    { label: 'randomK shared mask', spec: randomK({ ratio: 0.1, sharedMask: true }), stochastic: true },
    { label: 'randomK rescaled (unbiased)', spec: randomK({ ratio: 0.25, rescale: true }), stochastic: true },
    { label: 'randomK shared mask, rescaled', spec: randomK({ ratio: 0.25, sharedMask: true, rescale: true }), stochastic: true },
    { label: 'topK', spec: topK({ ratio: 0.05 }), keepsLargest: kept(0.05) },
    { label: 'threshold', spec: threshold({ threshold: 0.8 }), ratioIsExact: false },
    { label: 'deepGradientCompression', spec: deepGradientCompression({ ratio: 0.02 }), keepsLargest: kept(0.02) },
    { label: 'gTopK', spec: gTopK({ ratio: 0.05 }), keepsLargest: kept(0.05) },
    { label: 'powerSgd rank 2', spec: powerSgd({ rank: 2 }), needsErrorFeedback: true },
    { label: 'powerSgd without warm start', spec: powerSgd({ warmStart: false }), needsErrorFeedback: true },
    { label: 'countSketch', spec: countSketch({ ratio: 0.05 }), localsSumToResult: false },
    { label: 'countSketch with a second round', spec: countSketch({ ratio: 0.05, secondRound: 4 }) },
    { label: 'perBucket identity/topK', spec: perBucket({ rules: [{ maxLength: 64, use: identity() }], otherwise: topK({ ratio: 0.1 }) }) },
    { label: 'perBucket identity/qsgd', spec: perBucket({ rules: [{ maxLength: 5, use: identity() }], otherwise: qsgd() }) },
  ];
}
