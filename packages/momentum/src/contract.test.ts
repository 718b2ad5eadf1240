/**
 * The momentum plugins of this package against the momentum contract of @syncopate/testing:
 * inert frozen specs, eager option checks, determinism, ranks kept in agreement, bit-for-bit
 * resume and refused partial snapshots. (slowMo and lookahead are also run in the trainer's
 * contract tests.)
 */
import { ErrorFeedback } from '@syncopate/core';
import { momentumContract, type ContractCase } from '@syncopate/testing';
import { describe, it } from 'vitest';
import { baseBufferPolicy } from './base-buffer-policy.js';
import { blockwiseModelUpdateFiltering } from './blockwise-model-update-filtering.js';
import { deepGradientCompressionMomentum } from './deep-gradient-compression-momentum.js';
import { doubleAveraging } from './double-averaging.js';
import { globalMomentumCompression } from './global-momentum-compression.js';
import { lookahead } from './lookahead.js';
import { slowMo } from './slow-mo.js';

/** An error-feedback memory for the plugins that require one (the contract runs no exchange). */
const memory: ErrorFeedback = {
  name: 'errorFeedback',
  compensate: () => undefined,
  update: () => undefined,
  residual: (_key, length) => new Float32Array(length),
  reset: () => undefined,
  snapshot: () => ({}),
  restore: () => undefined,
};
const withMemory = [[ErrorFeedback, memory]] as const;

const declare = (cases: ContractCase[]) => cases.forEach((c) => it(c.name, c.run));

describe('momentum contract', () => {
  describe('slowMo', () => declare(momentumContract(slowMo, { options: { beta: 0.6, alpha: 0.9 } })));
  describe('blockwiseModelUpdateFiltering, Nesterov', () =>
    declare(
      momentumContract(blockwiseModelUpdateFiltering, {
        options: { blockMomentum: 0.7, blockLr: 1.2 },
        invalidOptions: [
          { options: { blockMomentum: 1 }, option: 'blockMomentum' },
          { options: { blockLr: -1 }, option: 'blockLr' },
          { options: { baseBuffer: 'zero' }, option: 'baseBuffer' },
        ],
      }),
    ));
  describe("blockwiseModelUpdateFiltering, classical, blockMomentum 'auto'", () => declare(momentumContract(blockwiseModelUpdateFiltering, { options: { nesterov: false } })));
  describe('lookahead', () => declare(momentumContract(lookahead, { options: { alpha: 0.3, steps: 4 }, invalidOptions: [{ options: { steps: 0 }, option: 'steps' }] })));
  describe('deepGradientCompressionMomentum', () =>
    declare(
      momentumContract(deepGradientCompressionMomentum, {
        options: { momentum: 0.8 },
        services: withMemory,
        invalidOptions: [{ options: { factorMasking: 1 }, option: 'factorMasking' }],
      }),
    ));
  describe('globalMomentumCompression', () =>
    declare(momentumContract(globalMomentumCompression, { options: { momentum: 0.7 }, services: withMemory, invalidOptions: [{ options: { momentum: 2 }, option: 'momentum' }] })));

  // Plugins whose whole effect is their baseBuffer choice (the contract counts baseBuffer as an effect).
  describe('baseBufferPolicy', () => declare(momentumContract(baseBufferPolicy, { options: { policy: 'average' } })));
  describe('doubleAveraging', () => declare(momentumContract(doubleAveraging, { options: {} })));
});
