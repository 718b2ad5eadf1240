/**
 * Every compressor of the package, in several configurations, against the contract suite of
 * @syncopate/testing; error feedback and momentum correction against theirs.
 */
import { Transport, type PluginSpec } from '@syncopate/core';
import { compressorContract, errorFeedbackContract, type CompressorContractOptions } from '@syncopate/testing';
import { describe, it } from 'vitest';
import {
  bf16,
  countSketch,
  deepGradientCompression,
  efSignSgd,
  errorFeedback,
  fp16,
  gTopK,
  identity,
  minMax8Bit,
  momentumCorrection,
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
} from './index.js';
import { keptCount as keptCountForTests } from './internal/kept-count.js';

const cases: [string, PluginSpec, CompressorContractOptions?][] = [
  ['identity', identity()],
  ['fp16', fp16()],
  ['bf16', bf16()],
  ['minMax8Bit nearest', minMax8Bit({ blockSize: 100 })],
  ['minMax8Bit stochastic', minMax8Bit({ rounding: 'stochastic', blockSize: 7 }), { stochastic: true }],
  ['qsgd 8-bit', qsgd(), { stochastic: true }],
  ['qsgd s=3 (3-bit codes)', qsgd({ levels: 3, bucketSize: 16 }), { stochastic: true }],
  ['qsgd s=1000 (11-bit codes)', qsgd({ levels: 1000 }), { stochastic: true }],
  ['ternGrad', ternGrad(), { stochastic: true }],
  ['ternGrad with scalar sharing', ternGrad({ scalarSharing: true }), { stochastic: true }],
  ['naturalCompression', naturalCompression(), { stochastic: true }],
  ['scaledSign', scaledSign()],
  ['efSignSgd', efSignSgd()],
  ['signSgdMajorityVote', signSgdMajorityVote()],
  ['oneBitSgd', oneBitSgd()],
  ['randomK', randomK({ ratio: 0.1 }), { stochastic: true }],
  ['randomK shared mask', randomK({ ratio: 0.1, sharedMask: true }), { stochastic: true }],
  ['randomK rescaled (unbiased)', randomK({ ratio: 0.25, rescale: true }), { stochastic: true }],
  ['randomK shared mask, rescaled', randomK({ ratio: 0.25, sharedMask: true, rescale: true }), { stochastic: true }],
  ['topK', topK({ ratio: 0.05 }), { keepsLargest: (n) => keptCountForTests(0.05, n) }],
  ['threshold', threshold({ threshold: 0.8 }), { ratioIsExact: false }],
  ['deepGradientCompression', deepGradientCompression({ ratio: 0.02 }), { keepsLargest: (n) => keptCountForTests(0.02, n) }],
  ['gTopK', gTopK({ ratio: 0.05 }), { keepsLargest: (n) => keptCountForTests(0.05, n) }],
  ['powerSgd rank 2', powerSgd({ rank: 2 })],
  ['powerSgd without warm start', powerSgd({ warmStart: false })],
  ['countSketch', countSketch({ ratio: 0.05 }), { localsSumToResult: false }],
  ['countSketch with a second round', countSketch({ ratio: 0.05, secondRound: 4 })],
  ['perBucket identity/topK', perBucket({ rules: [{ maxLength: 64, use: identity() }], otherwise: topK({ ratio: 0.1 }) })],
  ['perBucket identity/qsgd', perBucket({ rules: [{ maxLength: 5, use: identity() }], otherwise: qsgd() })],
];

for (const [label, spec, options] of cases) {
  describe(`${label} passes the compressor contract`, () => {
    for (const c of compressorContract(spec, options)) it(c.name, c.run);
  });
}

describe('errorFeedback passes the error-feedback contract', () => {
  const with_ = [topK({ ratio: 0.05 }), randomK({ ratio: 0.1 }), scaledSign(), oneBitSgd(), qsgd({ levels: 3 }), powerSgd(), fp16()];
  for (const c of errorFeedbackContract(errorFeedback(), with_)) it(c.name, c.run);
});

describe('momentumCorrection passes the error-feedback contract', () => {
  const transport = { size: 4 } as unknown as Transport;
  const contract = errorFeedbackContract(momentumCorrection({ momentum: 0.9, clipNorm: 10 }), [deepGradientCompression({ ratio: 0.05 })], {
    conservesMass: false,
    services: [[Transport, transport]],
  });
  for (const c of contract) it(c.name, c.run);
});
