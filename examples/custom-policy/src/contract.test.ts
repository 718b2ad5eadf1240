import { syncPolicyContract } from '@syncopate/testing';
import { describe, it } from 'vitest';
import { dynamicAveraging } from './dynamic-averaging.js';

const invalidOptions = [
  { options: {}, option: 'threshold' },
  { options: { threshold: 0 }, option: 'threshold' },
  { options: { threshold: Number.NaN }, option: 'threshold' },
  { options: { threshold: 1, checkEvery: 0 }, option: 'checkEvery' },
  { options: { threshold: 1, checkEvery: 1.5 }, option: 'checkEvery' },
];

// The contract's ranks each pull towards their own optimum; Δ = 0.5 makes them average every few steps.
describe('dynamicAveraging passes the sync-policy contract', () => {
  for (const c of syncPolicyContract(dynamicAveraging, { options: { threshold: 0.5 }, invalidOptions, consensus: 'sync' })) it(c.name, c.run);
});

describe('dynamicAveraging, checking every 3 steps, passes the sync-policy contract', () => {
  for (const c of syncPolicyContract(dynamicAveraging, { options: { threshold: 0.5, checkEvery: 3 }, invalidOptions, consensus: 'sync' })) it(c.name, c.run);
});
