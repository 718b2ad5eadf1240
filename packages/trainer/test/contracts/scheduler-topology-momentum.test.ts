/**
 * The built-in schedulers, topologies and momentum plugins pass their kinds' contracts from
 * @syncopate/testing (here, where every package may be imported without a dependency cycle).
 */
import {
  baseBufferPolicy,
  blockwiseModelUpdateFiltering,
  deepGradientCompressionMomentum,
  doubleAveraging,
  globalMomentumCompression,
  lookahead,
  slowMo,
} from '@syncopate/momentum';
import { fusion, singleBucket } from '@syncopate/scheduler';
import { instantiateErrorFeedback, momentumContract, schedulerContract, topologyContract, type ContractCase } from '@syncopate/testing';
import { errorFeedback } from '@syncopate/compression';
import { ErrorFeedback } from '@syncopate/core';
import { complete, exponentialGraph, hierarchical, onePeerExponentialGraph, randomMatchings, ring, star, torus2d } from '@syncopate/topology';
import { describe, it } from 'vitest';

const declare = (cases: ContractCase[]) => cases.forEach((c) => it(c.name, c.run));

describe('schedulers', () => {
  describe('singleBucket', () => declare(schedulerContract(singleBucket)));
  describe('fusion, 4 KiB buckets in reverse', () =>
    declare(schedulerContract(fusion, { options: { bucketBytes: 4096 }, invalidOptions: [{ options: { bucketBytes: 2 }, option: 'bucketBytes' }, { options: { order: 'sideways' }, option: 'order' }] })));
  describe('fusion, 64-byte buckets in layout order', () => declare(schedulerContract(fusion, { options: { bucketBytes: 64, order: 'forward' } })));
});

describe('topologies', () => {
  describe('complete', () => declare(topologyContract(complete)));
  describe('ring', () => declare(topologyContract(ring)));
  describe('torus2d', () => declare(topologyContract(torus2d)));
  describe('star', () => declare(topologyContract(star)));
  describe('exponentialGraph', () => declare(topologyContract(exponentialGraph)));
  describe('onePeerExponentialGraph', () => declare(topologyContract(onePeerExponentialGraph)));
  describe('randomMatchings', () => declare(topologyContract(randomMatchings, { options: { seed: 3 } })));
  describe('hierarchical, two ranks per node', () => declare(topologyContract(hierarchical, { options: { localSize: 2 }, sizes: [2, 4, 6, 8] })));
});

describe('momentum', () => {
  describe('slowMo', () => declare(momentumContract(slowMo, { options: { beta: 0.6 }, invalidOptions: [{ options: { beta: 1 }, option: 'beta' }, { options: { alpha: 0 }, option: 'alpha' }] })));
  describe('lookahead', () => declare(momentumContract(lookahead)));
  describe('blockwiseModelUpdateFiltering (BMUF), Nesterov', () => declare(momentumContract(blockwiseModelUpdateFiltering, { options: { nesterov: true } })));
  describe('doubleAveraging', () => declare(momentumContract(doubleAveraging)));
  // These two work with the composition's error-feedback memory: each instance gets its own.
  const withMemory = () => [[ErrorFeedback, instantiateErrorFeedback(errorFeedback())]] as const;
  describe('deepGradientCompressionMomentum', () => declare(momentumContract(deepGradientCompressionMomentum, { services: withMemory })));
  describe('globalMomentumCompression', () => declare(momentumContract(globalMomentumCompression, { services: withMemory })));
  describe('baseBufferPolicy, average', () => declare(momentumContract(baseBufferPolicy, { options: { policy: 'average' } })));
});
