import { Capabilities } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import {
  adaptivePeriod,
  asynchronousParameterServer,
  backupWorkers,
  bsp,
  decentralizedSgd,
  hierarchicalParallelSgd,
  localSgd,
  overlapLocalSgd,
  postLocalSgd,
  staleSynchronous,
  stochasticGradientPush,
} from './index.js';

const exact = [Capabilities.exactAverage, Capabilities.lockstepSync];
const lockstep = [Capabilities.lockstepSync];

describe('what each policy guarantees at a sync (its sync-policy capabilities)', () => {
  it('exact average: BSP and the periodic averaging policies', () => {
    for (const spec of [bsp(), localSgd(), localSgd({ stream: 'delta' }), postLocalSgd(), adaptivePeriod()]) expect(spec.provides, spec.name).toEqual(exact);
  });

  it('HPSGD averages exactly only with delay 0; with delay 1 W lags one average behind, so only lockstep', () => {
    expect(hierarchicalParallelSgd({ delay: 0 }).provides).toEqual(exact);
    expect(hierarchicalParallelSgd({ delay: 0, period: 4 }).provides).toEqual(exact);
    expect(hierarchicalParallelSgd().provides).toEqual(lockstep);
  });

  it('Overlap-Local-SGD averages exactly only when it is local SGD (α = 1, no anchor momentum, no overlap)', () => {
    expect(overlapLocalSgd({ alpha: 1, overlap: false }).provides).toEqual(exact);
    expect(overlapLocalSgd({ alpha: 1 }).provides).toEqual(lockstep);
    expect(overlapLocalSgd({ alpha: 0.5, overlap: false }).provides).toEqual(lockstep);
    expect(overlapLocalSgd({ alpha: 1, overlap: false, anchorMomentum: 0.5 }).provides).toEqual(lockstep);
  });

  it('gossip is restartable; parameter servers guarantee nothing', () => {
    for (const spec of [decentralizedSgd(), stochasticGradientPush()]) expect(spec.provides, spec.name).toEqual([Capabilities.restartable]);
    for (const spec of [staleSynchronous(), asynchronousParameterServer(), backupWorkers()]) {
      expect((spec.provides ?? []).filter((c) => c.startsWith('sync-policy:')), spec.name).toEqual([]);
    }
  });
});
