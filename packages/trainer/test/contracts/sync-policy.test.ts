/**
 * The built-in sync policies pass the sync-policy contract of @syncopate/testing. They run here,
 * not in packages/testing, because the trainer's tests may import every package without making a
 * dependency cycle (sync-policy's own tests may use @syncopate/testing).
 *
 * Not here: the parameter-server policies (staleSynchronous, asynchronousParameterServer,
 * backupWorkers) and HPSGD's continuous mode (period 0), which talk to other ranks through the
 * Transport directly rather than only through the exchange the contract records.
 */
import {
  adaptivePeriod,
  bsp,
  decentralizedSgd,
  hierarchicalParallelSgd,
  localSgd,
  overlapLocalSgd,
  postLocalSgd,
  stochasticGradientPush,
} from '@syncopate/sync-policy';
import { syncPolicyContract, type ContractCase } from '@syncopate/testing';
import { describe, it } from 'vitest';

const declare = (cases: ContractCase[]) => cases.forEach((c) => it(c.name, c.run));

describe('bsp', () => declare(syncPolicyContract(bsp, { consensus: 'sync' })));

describe('localSgd', () => {
  const invalidOptions = [
    { options: { period: 0 }, option: 'period' },
    { options: { period: 2.5 }, option: 'period' },
    { options: { stream: 'gradient' }, option: 'stream' },
  ];
  describe('averaging parameters every 3 steps', () => declare(syncPolicyContract(localSgd, { options: { period: 3 }, invalidOptions, consensus: 'sync' })));
  describe('averaging model deltas every 4 steps (with a checkpointed anchor)', () =>
    declare(syncPolicyContract(localSgd, { options: { period: 4, stream: 'delta' }, invalidOptions, consensus: 'sync' })));
});

describe('postLocalSgd, switching from BSP to period 3 at step 4', () =>
  declare(syncPolicyContract(postLocalSgd, { options: { period: 3, switchStep: 4 }, invalidOptions: [{ options: { period: 0 }, option: 'period' }], consensus: 'sync' })));

describe('adaptivePeriod (ADPSGD), sampling for 3 steps', () =>
  declare(syncPolicyContract(adaptivePeriod, { options: { initialPeriod: 2, samplingSteps: 3, warmupEpochs: 1 }, consensus: 'sync' })));

describe('hierarchicalParallelSgd (HPSGD), period 2', () => declare(syncPolicyContract(hierarchicalParallelSgd, { options: { period: 2 }, consensus: 'sync' })));

describe('overlapLocalSgd, period 3', () => declare(syncPolicyContract(overlapLocalSgd, { options: { period: 3 }, consensus: 'finish' })));

describe('decentralizedSgd (D-PSGD) on the ring', () => {
  describe('gossip only', () => declare(syncPolicyContract(decentralizedSgd, { consensus: 'none' })));
  describe('with a final exact average', () => declare(syncPolicyContract(decentralizedSgd, { options: { finalAverage: true }, consensus: 'finish' })));
});

describe('stochasticGradientPush (SGP) on the ring', () => {
  describe('push-sum only', () => declare(syncPolicyContract(stochasticGradientPush, { consensus: 'none' })));
  describe('with a final exact average', () => declare(syncPolicyContract(stochasticGradientPush, { options: { finalAverage: true }, consensus: 'finish' })));
});
