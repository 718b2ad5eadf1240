import { Exchange, ParamLayout, SyncPolicy } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { adaptivePeriod, type AdaptivePeriodOptions } from './adaptive-period.js';
import { inMemoryExchanges } from './testing/in-memory-exchange.js';
import { buildPlugin, testStepContext } from './testing/plugin-harness.js';

const layout = ParamLayout.of([{ name: 'w', shape: [1] }]);

/**
 * Two ranks drifting apart by ±γ_k per step (as SGD with opposite unit gradients would): after p
 * local steps w̄ − wᵢ = ±p·γ, so S_k = (p·γ)² exactly. Returns the traces of every step.
 */
async function drift(options: AdaptivePeriodOptions, steps: number, lrAt: (k: number) => number, epochOf: (k: number) => number = () => 1) {
  const exchanges = inMemoryExchanges(2);
  const policies = exchanges.map((e) => buildPlugin(adaptivePeriod(options), SyncPolicy, new Map([[Exchange.key, e]])));
  const params = [Float32Array.of(0), Float32Array.of(0)];
  policies.forEach((p, r) => p.init?.(params[r]!, testStepContext(layout, { step: 0, rank: r, size: 2 })));
  const traces: Record<string, number>[] = [];
  for (let k = 0; k < steps; k++) {
    const lr = lrAt(k);
    params[0]![0]! += lr;
    params[1]![0]! -= lr;
    const t: Record<string, number> = {};
    const outcomes = await Promise.all(policies.map((p, r) => p.onParameters(params[r]!, testStepContext(layout, { step: k, rank: r, size: 2, lr, epoch: epochOf(k) }, r === 0 ? t : {}))));
    traces.push({ ...t, synced: outcomes[0]!.synced ? 1 : 0 });
  }
  return { traces, policies, params };
}

const periodsAtSyncs = (traces: Record<string, number>[], from = 0) => traces.slice(from).flatMap((t) => (t.synced ? [t.period!] : []));

describe('adaptivePeriod', () => {
  it('keeps p_init while sampling C₂ = mean(S_k / γ_k), then grows the period after a learning-rate drop until S_k re-enters the band', async () => {
    const { traces } = await drift({ initialPeriod: 4, samplingSteps: 24, warmupEpochs: 0 }, 120, (k) => (k < 24 ? 0.1 : 0.01));
    const sampling = traces.slice(0, 24);
    expect(sampling.every((t) => t.period === 4)).toBe(true);
    expect(sampling.flatMap((t, k) => (t.synced ? [k] : []))).toEqual([3, 7, 11, 15, 19, 23]);
    expect(traces[23]!.S_k).toBeCloseTo(0.16, 6); // (4 · 0.1)²
    expect(traces[23]!.C_2).toBeCloseTo(1.6, 5);
    // After the drop S_k = (p·0.01)² < 0.7·0.01·1.6 until p = 11, where 0.0121 lies inside [0.0112, 0.0208].
    const periods = periodsAtSyncs(traces, 24);
    expect(periods.slice(0, 7)).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(periods.slice(7).length).toBeGreaterThan(2);
    expect(periods.slice(7).every((p) => p === 11)).toBe(true);
  });

  it('keeps the period when the learning rate does not change (S_k stays inside the band)', async () => {
    const { traces } = await drift({ initialPeriod: 4, samplingSteps: 24, warmupEpochs: 0 }, 80, () => 0.1);
    expect(new Set(periodsAtSyncs(traces))).toEqual(new Set([4]));
  });

  it('shrinks the period (never below minPeriod) when S_k exceeds the band', async () => {
    const { traces } = await drift({ initialPeriod: 4, samplingSteps: 8, warmupEpochs: 0, minPeriod: 2 }, 60, (k) => (k < 8 ? 0.01 : 0.1));
    const periods = periodsAtSyncs(traces, 8);
    expect(periods[0]).toBe(3);
    expect(periods.length).toBeGreaterThan(10);
    expect(periods.slice(1).every((p) => p === 2)).toBe(true);
  });

  it('averages every step during the warm-up epochs and ends with an average of the leftover local steps', async () => {
    const { traces, policies, params } = await drift({ initialPeriod: 3, samplingSteps: 0, warmupEpochs: 1 }, 6, () => 0.1, (k) => (k < 2 ? 0 : 1));
    expect(traces.map((t) => [t.period, t.synced])).toEqual([[1, 1], [1, 1], [3, 0], [3, 0], [3, 1], [3, 0]]);
    expect(params[0]).not.toEqual(params[1]);
    await Promise.all(policies.map((p, r) => p.finish!(params[r]!, testStepContext(layout, { step: 5, rank: r, size: 2 }))));
    expect(params[0]).toEqual(params[1]);
  });

  it('checkpoints the period, the counter and the running average', async () => {
    const options = { initialPeriod: 4, samplingSteps: 24, warmupEpochs: 0 };
    const { policies } = await drift(options, 40, (k) => (k < 24 ? 0.1 : 0.01));
    const snapshot = policies[0]!.snapshot!();
    expect(snapshot).toMatchObject({ period: 7, count: 1, samples: 6 }); // syncs at 27, 32, 38 grew p from 4; step 39 is local
    const fresh = buildPlugin(adaptivePeriod(options), SyncPolicy, new Map([[Exchange.key, inMemoryExchanges(1)[0]]]));
    fresh.restore!(snapshot);
    expect(fresh.snapshot!()).toEqual(snapshot);
    expect(() => fresh.restore!({ ...snapshot, period: 0 })).toThrow(/'period' must be an integer >= 1/);
  });

  it('validates its options, naming the allowed range', () => {
    expect(() => adaptivePeriod({ initialPeriod: 0 })).toThrow(/'initialPeriod' must be an integer >= 1/);
    expect(() => adaptivePeriod({ lowerFactor: 1.2 })).toThrow(/'lowerFactor' must be a finite number > 0 <= 1/);
    expect(() => adaptivePeriod({ upperFactor: 0.9 })).toThrow(/'upperFactor' must be a finite number >= 1/);
    expect(() => adaptivePeriod({ runningAverage: 'median' as never })).toThrow(/'mean', 'ema'/);
    expect(() => adaptivePeriod({ minPeriod: 5, maxPeriod: 3 })).toThrow(/'maxPeriod' must be an integer >= 5/);
    expect(adaptivePeriod().options).toMatchObject({ initialPeriod: 4, samplingSteps: 1000, warmupEpochs: 1, lowerFactor: 0.7, upperFactor: 1.3, runningAverage: 'mean' });
  });
});
