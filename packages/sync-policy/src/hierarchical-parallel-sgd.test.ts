import { Exchange, ParamLayout, SyncPolicy, Transport, type PluginSpec } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { hierarchicalParallelSgd } from './hierarchical-parallel-sgd.js';
import { localSgd } from './local-sgd.js';
import { inMemoryExchanges } from './testing/in-memory-exchange.js';
import { buildPlugin, testStepContext } from './testing/plugin-harness.js';

const layout = ParamLayout.of([{ name: 'w', shape: [1] }]);
const ctx = (step: number, rank: number) => testStepContext(layout, { step, rank, size: 2 });

/** Two ranks whose local update is +1 (rank 0) and +3 (rank 1) per step; `held` holds back the exchange started at step 3. */
function setUp(spec: PluginSpec, held?: Promise<void>) {
  const exchanges = inMemoryExchanges(2).map((e): Exchange => ({ run: (b, q, o) => (held && q.step === 3 ? held.then(() => e.run(b, q, o)) : e.run(b, q, o)) }));
  const policies = exchanges.map((e) => buildPlugin(spec, SyncPolicy, new Map([[Exchange.key, e]])));
  const params = [Float32Array.of(0), Float32Array.of(0)];
  policies.forEach((p, r) => p.init?.(params[r]!, ctx(0, r)));
  return { policies, params };
}

async function steps(policies: SyncPolicy[], params: Float32Array[], from: number, to: number) {
  const log: { params: number[]; synced: boolean }[] = [];
  for (let k = from; k < to; k++) {
    params[0]![0]! += 1;
    params[1]![0]! += 3;
    const outcomes = await Promise.all(policies.map((p, r) => p.onParameters(params[r]!, ctx(k, r))));
    log.push({ params: params.map((p) => p[0]!), synced: outcomes[0]!.synced });
  }
  return log;
}

describe('hierarchicalParallelSgd', () => {
  it('delay 1: each sync merges the average of the previous window into W and re-clones the replica from W', async () => {
    const { policies, params } = setUp(hierarchicalParallelSgd({ period: 2 }));
    const log = await steps(policies, params, 0, 6);
    expect(log.map((s) => s.synced)).toEqual([false, true, false, true, false, true]);
    // Each window moves the ranks by 2 and 6 (mean 4); W lags one sync behind: 0, 4, 8.
    expect(log.filter((s) => s.synced).map((s) => s.params)).toEqual([[0, 0], [4, 4], [8, 8]]);
    expect(log[4]!.params).toEqual([5, 7]); // the replicas train on from W = 4
  });

  it('delay 0 reproduces the local SGD average (Eq. 2), and finish leaves the average of all local progress', async () => {
    const hpsgd = setUp(hierarchicalParallelSgd({ delay: 0, period: 2 }));
    const local = setUp(localSgd({ period: 2 }));
    const a = await steps(hpsgd.policies, hpsgd.params, 0, 7);
    const b = await steps(local.policies, local.params, 0, 7);
    expect(a).toEqual(b);
    expect(a.filter((s) => s.synced).map((s) => s.params[0])).toEqual([4, 8, 12]);

    const delayed = setUp(hierarchicalParallelSgd({ period: 2 }));
    await steps(delayed.policies, delayed.params, 0, 7);
    await Promise.all(delayed.policies.map((p, r) => p.finish!(delayed.params[r]!, ctx(6, r))));
    expect(delayed.params.map((p) => p[0])).toEqual([14, 14]); // (7 + 21) / 2: nothing trained is lost
  });

  it('refuses to snapshot while an average is in flight; after settle, a restored policy continues identically', async () => {
    let release = () => {};
    const a = setUp(hierarchicalParallelSgd({ period: 2 }), new Promise<void>((resolve) => (release = resolve)));
    await steps(a.policies, a.params, 0, 4);
    expect(() => a.policies[0]!.snapshot!()).toThrow(/average started at step 3 is still in flight/);
    release();
    await Promise.all(a.policies.map((p, r) => p.settle!(ctx(3, r))));
    const snapshots = a.policies.map((p) => p.snapshot!());
    expect(snapshots[0]).toMatchObject({ pending: true, pendingStep: 3, window: 0 });
    const b = setUp(hierarchicalParallelSgd({ period: 2 }));
    b.policies.forEach((p, r) => p.restore!(snapshots[r]!));
    b.params.forEach((p, r) => p.set(a.params[r]!));
    expect(await steps(b.policies, b.params, 4, 10)).toEqual(await steps(a.policies, a.params, 4, 10));
  });

  it('syncs whenever the last sync finished when no period is given (it then needs the transport)', () => {
    const spec = hierarchicalParallelSgd();
    expect(spec.options).toEqual({ delay: 1, period: 0 });
    expect(() => buildPlugin(spec, SyncPolicy, new Map([[Exchange.key, inMemoryExchanges(1)[0]]]))).toThrow(/no syncopate\/Transport/);
    expect(() => buildPlugin(spec, SyncPolicy, new Map<symbol, unknown>([[Exchange.key, inMemoryExchanges(1)[0]], [Transport.key, {}]]))).not.toThrow();
  });

  it('validates its options', () => {
    expect(() => hierarchicalParallelSgd({ delay: 2 })).toThrow(/'delay' must be an integer >= 0 <= 1, got 2/);
    expect(() => hierarchicalParallelSgd({ period: -1 })).toThrow(/'period' must be an integer >= 0/);
    expect(() => hierarchicalParallelSgd({ gamma: 8 } as never)).toThrow(/is not an option of hierarchicalParallelSgd/);
  });
});
