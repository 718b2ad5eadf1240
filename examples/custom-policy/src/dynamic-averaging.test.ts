import { Exchange, OptionError, ParamLayout, StateError, type SyncPolicy } from '@syncopate/core';
import { instantiateSyncPolicy, policyStepContext, recordingExchanges, type ExchangeGroup } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { dynamicAveraging, type DynamicAveragingOptions } from './dynamic-averaging.js';

const layout = ParamLayout.of([
  { name: 'w', shape: [2] },
  { name: 'b', shape: [1] },
]);

/** `size` policies on one in-memory exchange group, initialised from `start`. */
function ranks(size: number, options: DynamicAveragingOptions, start: number[]): { group: ExchangeGroup; policies: SyncPolicy[]; params: Float32Array[] } {
  const group = recordingExchanges(size, () => ({ self: 1, receive: [], send: [] }));
  const policies = group.ranks.map((exchange) => instantiateSyncPolicy(dynamicAveraging(options), [[Exchange, exchange]]));
  const params = policies.map(() => Float32Array.from(start));
  policies.forEach((p, rank) => p.init?.(params[rank]!, policyStepContext(layout, { step: 0, rank, size })));
  return { group, policies, params };
}

/** Run `onParameters` of `step` on every rank; return each rank's outcome and traces. */
async function step(policies: SyncPolicy[], params: Float32Array[], at: number) {
  const traces = policies.map(() => ({}) as Record<string, number>);
  const outcomes = await Promise.all(policies.map((p, rank) => p.onParameters(params[rank]!, policyStepContext(layout, { step: at, rank, size: policies.length }, traces[rank]))));
  return { synced: outcomes.map((o) => o.synced), traces };
}

describe('dynamicAveraging', () => {
  it("averages every rank exactly when some rank's squared drift from the last average exceeds the threshold", async () => {
    const { policies, params } = ranks(3, { threshold: 1 }, [0, 0, 0]);
    // Step 0: every rank moves by less than √1 from the reference: no averaging, nothing changes.
    params[0]!.set([0.5, 0, 0]);
    params[1]!.set([0, -0.5, 0.5]);
    params[2]!.set([0.25, 0.25, 0]);
    const calm = await step(policies, params, 0);
    expect(calm.synced).toEqual([false, false, false]);
    expect(calm.traces.map((t) => t.drift)).toEqual([0.25, 0.5, 0.125]);
    expect(calm.traces.map((t) => t.violations)).toEqual([0, 0, 0]);
    expect([...params[1]!]).toEqual([0, -0.5, 0.5]);

    // Step 1: rank 2 alone drifts past Δ (‖x − r‖² = 4.25); all three ranks average.
    params[2]!.set([2, 0.5, 0]);
    const before = params.map((p) => [...p]);
    const violated = await step(policies, params, 1);
    expect(violated.synced).toEqual([true, true, true]);
    expect(violated.traces.map((t) => t.violations)).toEqual([1, 1, 1]);
    const mean = before[0]!.map((_, i) => (before[0]![i]! + before[1]![i]! + before[2]![i]!) / 3);
    for (const p of params) {
      expect(p).toEqual(params[0]);
      p.forEach((v, i) => expect(v).toBeCloseTo(mean[i]!, 6));
    }

    // The average is the new reference: a small move from it does not trigger another one.
    params.forEach((p) => (p[0] = p[0]! + 0.1));
    expect((await step(policies, params, 2)).synced).toEqual([false, false, false]);
  });

  it('costs one uncompressed summed number per check, and checks every `checkEvery` steps', async () => {
    const { group, policies, params } = ranks(2, { threshold: 1e6, checkEvery: 3 }, [1, 2, 3]);
    for (let t = 0; t < 7; t++) expect((await step(policies, params, t)).synced).toEqual([false, false]);
    const log = group.ranks[0]!.log.map((r) => r.request);
    expect(log.map((r) => r.step)).toEqual([2, 5]);
    for (const r of log) expect(r).toMatchObject({ stream: 'dynamicAveraging/violations', reduction: 'sum', compress: false });
  });

  it('with a tiny threshold averages at every check, like local SGD with period checkEvery', async () => {
    const { group, policies, params } = ranks(2, { threshold: 1e-12, checkEvery: 2 }, [0, 0, 0]);
    const synced: boolean[] = [];
    for (let t = 0; t < 6; t++) {
      params[0]![0] = params[0]![0]! + 1;
      synced.push((await step(policies, params, t)).synced[0]!);
    }
    expect(synced).toEqual([false, true, false, true, false, true]);
    expect(group.ranks[1]!.log.filter((r) => r.request.stream === 'delta').map((r) => r.request.step)).toEqual([1, 3, 5]);
  });

  it('finish averages only when a local step was taken since the last average', async () => {
    const { group, policies, params } = ranks(2, { threshold: 1e-12 }, [0, 0, 0]);
    params[0]![0] = 1;
    await step(policies, params, 0); // averages at step 0
    await Promise.all(policies.map((p, rank) => p.finish!(params[rank]!, policyStepContext(layout, { step: 0, rank, size: 2 }))));
    expect(group.ranks[0]!.log.filter((r) => r.issuedIn.startsWith('finish'))).toHaveLength(0);
    await Promise.all(policies.map((p, rank) => p.finish!(params[rank]!, policyStepContext(layout, { step: 1, rank, size: 2 }))));
    expect(group.ranks[0]!.log.at(-1)!.request).toMatchObject({ stream: 'delta', step: 1 });
  });

  it('checkpoints its reference and last average, and refuses a snapshot that does not fit', async () => {
    const { policies, params } = ranks(1, { threshold: 1e-12 }, [1, 2, 3]);
    params[0]!.set([4, 5, 6]);
    await step(policies, params, 0);
    expect(policies[0]!.snapshot!()).toEqual({ reference: Float32Array.of(4, 5, 6), lastAverage: 0 });
    expect(() => policies[0]!.restore!({ reference: new Float32Array(2), lastAverage: 0 })).toThrow(StateError);
    expect(() => policies[0]!.restore!({ reference: new Float32Array(3), lastAverage: 0.5 })).toThrow(/'lastAverage' must be an integer/);
  });

  it('validates its options, naming the option and the allowed range', () => {
    expect(() => dynamicAveraging({ threshold: 0 })).toThrow("dynamicAveraging: option 'threshold' must be a finite number > 0, got 0");
    expect(() => dynamicAveraging({} as DynamicAveragingOptions)).toThrow(/option 'threshold' is required/);
    expect(() => dynamicAveraging({ threshold: 1, checkEvery: 0 })).toThrow(/'checkEvery' must be an integer >= 1/);
    expect(() => dynamicAveraging({ treshold: 1 } as never)).toThrow(/did you mean 'threshold'/);
    expect(() => dynamicAveraging({ threshold: 1, checkEvery: 2.5 })).toThrow(OptionError);
    expect(dynamicAveraging({ threshold: 0.5 })).toMatchObject({ kind: 'sync-policy', name: 'dynamicAveraging', options: { threshold: 0.5, checkEvery: 1 } });
  });
});
