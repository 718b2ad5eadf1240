/**
 * Every compressor of the package, in several configurations, against the contract suite of
 * @syncopate/testing; error feedback and momentum correction against theirs.
 */
import { Transport } from '@syncopate/core';
import { compressorContract, errorFeedbackContract } from '@syncopate/testing';
import { describe, it } from 'vitest';
import { deepGradientCompression, errorFeedback, fp16, momentumCorrection, oneBitSgd, powerSgd, qsgd, randomK, scaledSign, topK } from './index.js';
import { compressorExamples } from './testing/index.js';

for (const { label, spec, ...options } of compressorExamples()) {
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
