/**
 * The built-in sync policies pass the sync-policy contract of @syncopate/testing. They run here,
 * not in packages/testing, because the trainer's tests may import every package without making a
 * dependency cycle (sync-policy's own tests may use @syncopate/testing).
 */
import { syncPolicyContract } from '@syncopate/testing';
import { bsp, localSgd } from '@syncopate/sync-policy';
import { describe, it } from 'vitest';

describe('bsp passes the sync-policy contract', () => {
  for (const c of syncPolicyContract(bsp, { consensus: 'sync' })) it(c.name, c.run);
});

describe('localSgd passes the sync-policy contract', () => {
  const invalidOptions = [
    { options: { period: 0 }, option: 'period' },
    { options: { period: 2.5 }, option: 'period' },
    { options: { stream: 'gradient' }, option: 'stream' },
  ];
  describe('averaging parameters every 3 steps', () => {
    for (const c of syncPolicyContract(localSgd, { options: { period: 3 }, invalidOptions, consensus: 'sync' })) it(c.name, c.run);
  });
  describe('averaging model deltas every 4 steps (with a checkpointed anchor)', () => {
    for (const c of syncPolicyContract(localSgd, { options: { period: 4, stream: 'delta' }, invalidOptions, consensus: 'sync' })) it(c.name, c.run);
  });
});
