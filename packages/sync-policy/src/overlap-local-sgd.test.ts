import { Exchange, ParamLayout, SyncPolicy, type PluginSpec } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { localSgd } from './local-sgd.js';
import { overlapLocalSgd } from './overlap-local-sgd.js';
import { inMemoryExchanges } from './testing/in-memory-exchange.js';
import { buildPlugin, testStepContext } from './testing/plugin-harness.js';

const layout = ParamLayout.of([{ name: 'w', shape: [1] }]);
const ctx = (step: number, rank: number) => testStepContext(layout, { step, rank, size: 2, lr: 0.1 });

/** Two ranks whose local update is +1 (rank 0) and +3 (rank 1) per step. */
async function run(spec: PluginSpec, count: number) {
  const exchanges = inMemoryExchanges(2);
  const policies = exchanges.map((e) => buildPlugin(spec, SyncPolicy, new Map([[Exchange.key, e]])));
  const params = [Float32Array.of(0), Float32Array.of(0)];
  policies.forEach((p, r) => p.init?.(params[r]!, ctx(0, r)));
  const log: number[][] = [];
  for (let k = 0; k < count; k++) {
    params[0]![0]! += 1;
    params[1]![0]! += 3;
    await Promise.all(policies.map((p, r) => p.onParameters(params[r]!, ctx(k, r))));
    log.push(params.map((p) => p[0]!));
  }
  return { log, policies, params, exchanges };
}

describe('overlapLocalSgd', () => {
  it('pulls back towards the anchor, which is the average started one sync point earlier', async () => {
    const { log, exchanges } = await run(overlapLocalSgd({ period: 2, alpha: 0.5 }), 6);
    expect(log[1]).toEqual([1, 3]); // x = [2, 6] pulled halfway to x₀ = 0; the average of [1, 3] starts
    expect(log[3]).toEqual([2.5, 5.5]); // x = [3, 9] pulled halfway to z = 2
    expect(log[5]).toEqual([4.25, 7.75]); // x = [4.5, 11.5] pulled halfway to z = (2.5 + 5.5) / 2
    expect(exchanges[0]!.requests.map((q) => `${q.stream}@${q.step}`)).toEqual(['parameter@1', 'parameter@3', 'parameter@5']);
  });

  it('with α = 1, no overlap and no anchor momentum is exactly local SGD', async () => {
    const overlap = await run(overlapLocalSgd({ period: 2, alpha: 1, overlap: false }), 7);
    const local = await run(localSgd({ period: 2 }), 7);
    expect(overlap.log).toEqual(local.log);
  });

  it('with anchor momentum μ the anchor moves by −γ·mean(v), v ← μ·v + (z − x)/γ', async () => {
    const { log } = await run(overlapLocalSgd({ period: 2, alpha: 1, overlap: false, anchorMomentum: 0.5 }), 4);
    expect(log[1]![0]).toBeCloseTo(4, 5); // v = −[20, 60], z = 0 + 0.1 · 40
    expect(log[3]![0]).toBeCloseTo(10, 5); // v = −[30, 90], z = 4 + 0.1 · 60 (plain averaging: 8)
  });

  it('finish drains the average in flight and leaves every rank on the exact average; state round-trips', async () => {
    const { policies, params } = await run(overlapLocalSgd({ period: 2, alpha: 0.5 }), 5);
    await Promise.all(policies.map((p) => p.settle!(ctx(4, 0))));
    const snapshot = policies[0]!.snapshot!();
    expect(snapshot).toMatchObject({ pending: true, pendingStep: 3 });
    const fresh = buildPlugin(overlapLocalSgd({ period: 2, alpha: 0.5 }), SyncPolicy, new Map([[Exchange.key, inMemoryExchanges(1)[0]]]));
    fresh.restore!(snapshot);
    expect(fresh.snapshot!()).toEqual(snapshot);
    await Promise.all(policies.map((p, r) => p.finish!(params[r]!, ctx(4, r))));
    expect(params[0]).toEqual(params[1]);
  });

  it('validates its options', () => {
    expect(() => overlapLocalSgd({ alpha: 0 })).toThrow(/'alpha' must be a finite number > 0 <= 1, got 0/);
    expect(() => overlapLocalSgd({ anchorMomentum: 1 })).toThrow(/'anchorMomentum' must be a finite number >= 0 < 1/);
    expect(overlapLocalSgd().options).toEqual({ period: 12, alpha: 0.2, anchorMomentum: 0, overlap: true });
  });
});
