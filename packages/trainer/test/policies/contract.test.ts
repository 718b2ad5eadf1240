/**
 * The sync policies of issue #7 pass the sync-policy contract of @syncopate/testing (same
 * exchanges in the same order on every rank, signals forwarded, settle before a checkpoint, bit
 * for bit resume, option checks…). The parameter-server policies talk point-to-point over a
 * transport instead of the exchange; they are tested end to end in parameter-server.test.ts.
 */
import { syncPolicyContract } from '@syncopate/testing';
import {
  adaptivePeriod,
  decentralizedSgd,
  hierarchicalParallelSgd,
  overlapLocalSgd,
  postLocalSgd,
  stochasticGradientPush,
} from '@syncopate/sync-policy';
import { describe, it } from 'vitest';

describe('postLocalSgd passes the sync-policy contract', () => {
  const invalidOptions = [
    { options: { period: 0 }, option: 'period' },
    { options: { switchStep: 1, switchEpoch: 1 }, option: 'switchStep' },
    { options: { stream: 'gradient' }, option: 'stream' },
  ];
  describe('switching at step 3, averaging parameters every 4 steps', () => {
    for (const c of syncPolicyContract(postLocalSgd, { options: { switchStep: 3, period: 4 }, invalidOptions, consensus: 'sync' })) it(c.name, c.run);
  });
  describe("switching at epoch 1 with stream 'delta' (resumed after the switch)", () => {
    for (const c of syncPolicyContract(postLocalSgd, { options: { switchEpoch: 1, period: 3, stream: 'delta' }, consensus: 'sync', resumeAt: 7 })) it(c.name, c.run);
  });
});

describe('decentralizedSgd passes the sync-policy contract', () => {
  for (const c of syncPolicyContract(decentralizedSgd, { invalidOptions: [{ options: { finalAverage: 1 }, option: 'finalAverage' }], consensus: 'finish' })) it(c.name, c.run);
});

describe('stochasticGradientPush passes the sync-policy contract', () => {
  for (const c of syncPolicyContract(stochasticGradientPush, { invalidOptions: [{ options: { finalAverage: 'no' }, option: 'finalAverage' }], consensus: 'finish' })) it(c.name, c.run);
});

describe('adaptivePeriod passes the sync-policy contract', () => {
  const invalidOptions = [
    { options: { initialPeriod: 0 }, option: 'initialPeriod' },
    { options: { lowerFactor: 2 }, option: 'lowerFactor' },
    { options: { runningAverage: 'median' }, option: 'runningAverage' },
  ];
  const options = { initialPeriod: 2, samplingSteps: 6, warmupEpochs: 1 };
  for (const c of syncPolicyContract(adaptivePeriod, { options, invalidOptions, consensus: 'sync', steps: 17, resumeAt: 9 })) it(c.name, c.run);
});

describe('hierarchicalParallelSgd passes the sync-policy contract', () => {
  const invalidOptions = [
    { options: { delay: 2 }, option: 'delay' },
    { options: { period: 1.5 }, option: 'period' },
  ];
  describe('delay 1, a sync every 3 steps (resumed with an average in flight)', () => {
    for (const c of syncPolicyContract(hierarchicalParallelSgd, { options: { delay: 1, period: 3 }, invalidOptions, consensus: 'sync', resumeAt: 7 })) it(c.name, c.run);
  });
  describe('delay 0, a sync every 2 steps', () => {
    for (const c of syncPolicyContract(hierarchicalParallelSgd, { options: { delay: 0, period: 2 }, consensus: 'sync' })) it(c.name, c.run);
  });
});

describe('overlapLocalSgd passes the sync-policy contract', () => {
  const invalidOptions = [
    { options: { alpha: 0 }, option: 'alpha' },
    { options: { anchorMomentum: 1 }, option: 'anchorMomentum' },
  ];
  describe('overlapped, α = 0.5, τ = 3 (resumed with an average in flight)', () => {
    for (const c of syncPolicyContract(overlapLocalSgd, { options: { period: 3, alpha: 0.5 }, invalidOptions, consensus: 'finish', resumeAt: 7 })) it(c.name, c.run);
  });
  describe('with anchor momentum', () => {
    for (const c of syncPolicyContract(overlapLocalSgd, { options: { period: 2, alpha: 0.6, anchorMomentum: 0.5 }, consensus: 'finish' })) it(c.name, c.run);
  });
});
