import { Capabilities, Exchange, ParamLayout, SyncPolicy, type Neighbourhood } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { stochasticGradientPush } from './stochastic-gradient-push.js';
import { inMemoryGossipExchanges } from './testing/gossip-exchange.js';
import { buildPlugin, testStepContext } from './testing/plugin-harness.js';

const layout = ParamLayout.of([{ name: 'w', shape: [2] }]);

/** A directed graph from out-neighbour lists, with push-sum's uniform column weights 1/(out-degree + 1). */
function directed(out: number[][]): (rank: number) => Neighbourhood {
  return (rank) => {
    const w = (r: number) => 1 / (out[r]!.length + 1);
    return {
      self: w(rank),
      send: out[rank]!.map((peer) => ({ peer, weight: w(rank) })),
      receive: out.flatMap((peers, j) => (peers.includes(rank) ? [{ peer: j, weight: w(j) }] : [])),
    };
  };
}

async function gossip(neighbourhood: (rank: number, step: number) => Neighbourhood, initial: number[][], steps: number, update = (_r: number, _k: number) => [0, 0]) {
  const size = initial.length;
  const exchanges = inMemoryGossipExchanges(size, neighbourhood);
  const policies = exchanges.map((e) => buildPlugin(stochasticGradientPush(), SyncPolicy, new Map([[Exchange.key, e]])));
  const params = initial.map((x) => Float32Array.from(x));
  policies.forEach((p, r) => p.init?.(params[r]!, testStepContext(layout, { step: 0, rank: r, size })));
  const history: { z: number[][]; numerators: number[][]; weights: number[] }[] = [];
  for (let k = 0; k < steps; k++) {
    params.forEach((p, r) => update(r, k).forEach((u, i) => (p[i]! += u)));
    await Promise.all(policies.map((p, r) => p.onParameters(params[r]!, testStepContext(layout, { step: k, rank: r, size }))));
    const snaps = policies.map((p) => p.snapshot!() as { numerator: Float32Array; weight: number });
    history.push({ z: params.map((p) => [...p]), numerators: snaps.map((s) => [...s.numerator]), weights: snaps.map((s) => s.weight) });
  }
  return history;
}

describe('stochasticGradientPush', () => {
  const initial = [
    [8, 0],
    [0, 4],
    [-4, 2],
    [4, -2],
  ];
  const average = [2, 1];

  it('de-biased values converge to the average on a directed graph whose degrees differ, where the numerators alone do not', async () => {
    // 0 → 1, 2;  1 → 2;  2 → 3;  3 → 0: strongly connected, column-stochastic, not doubly stochastic.
    const history = await gossip(directed([[1, 2], [2], [3], [0]]), initial, 80);
    const last = history.at(-1)!;
    for (const z of last.z) z.forEach((v, i) => expect(v).toBeCloseTo(average[i]!, 4));
    expect(Math.max(...last.numerators.map((x) => Math.abs(x[0]! - average[0]!)))).toBeGreaterThan(0.1);
    expect(last.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(4, 10);
    expect(new Set(last.weights.map((w) => w.toFixed(3))).size).toBeGreaterThan(1);
  });

  it("reaches the exact average in log₂ n steps on SGP's one-peer exponential graph (n = 8)", async () => {
    const n = 8;
    const onePeer = (rank: number, step: number): Neighbourhood => {
      const hop = 2 ** (step % 3);
      return { self: 0.5, send: [{ peer: (rank + hop) % n, weight: 0.5 }], receive: [{ peer: (rank - hop + n) % n, weight: 0.5 }] };
    };
    const start = Array.from({ length: n }, (_, r) => [r, r * r]);
    const history = await gossip(onePeer, start, 3);
    const exact = [3.5, 17.5];
    for (const z of history[2]!.z) z.forEach((v, i) => expect(v).toBeCloseTo(exact[i]!, 5));
    expect(history[2]!.weights.every((w) => w === 1)).toBe(true);
  });

  it('conserves the push-sum mass: Σ numerators moves by exactly the sum of the local updates', async () => {
    const update = (r: number, k: number) => [0.1 * (r + 1), -0.05 * k];
    const history = await gossip(directed([[1, 2], [2], [3], [0]]), initial, 10, update);
    let total = [8, 4];
    history.forEach((h, k) => {
      total = total.map((t, i) => t + [0, 1, 2, 3].reduce((s, r) => s + update(r, k)[i]!, 0));
      const sum = [0, 1].map((i) => h.numerators.reduce((s, x) => s + x[i]!, 0));
      sum.forEach((v, i) => expect(v).toBeCloseTo(total[i]!, 4));
    });
  });

  it('restart: from parameters made equal on every rank, the weights restart at 1 and the gossip keeps them (the de-biased model stays put)', async () => {
    const size = 4;
    const exchanges = inMemoryGossipExchanges(size, directed([[1, 2], [2], [3], [0]]));
    const policies = exchanges.map((e) => buildPlugin(stochasticGradientPush(), SyncPolicy, new Map([[Exchange.key, e]])));
    const params = initial.map((x) => Float32Array.from(x));
    const ctx = (step: number, rank: number) => testStepContext(layout, { step, rank, size });
    policies.forEach((p, r) => p.init?.(params[r]!, ctx(0, r)));
    const run = (from: number, to: number) => Promise.all(policies.map(async (p, r) => {
      for (let k = from; k < to; k++) await p.onParameters(params[r]!, ctx(k, r));
    }));
    await run(0, 3);
    expect(new Set(policies.map((p) => (p.snapshot!() as { weight: number }).weight)).size).toBeGreaterThan(1);
    // An outer optimizer replaces every rank's parameters with the same values, then restarts the policy.
    const outer = [5, -3];
    params.forEach((p) => p.set(outer));
    policies.forEach((p, r) => p.restart!(params[r]!, ctx(3, r)));
    for (const p of policies) expect(p.snapshot!()).toEqual({ numerator: Float32Array.from(outer), weight: 1 });
    await run(3, 8);
    for (const p of params) p.forEach((v, i) => expect(v).toBeCloseTo(outer[i]!, 5));
    expect(stochasticGradientPush().provides).toEqual([Capabilities.restartable]);
  });

  it('declares that it needs push-sum, traces the weight and validates its options', async () => {
    expect(stochasticGradientPush().requires!.map((r) => r.capability)).toEqual([Capabilities.gossipPayloads, Capabilities.pushSum]);
    expect(() => stochasticGradientPush({ weight: 2 } as never)).toThrow(/is not an option of stochasticGradientPush/);
    const [exchange] = inMemoryGossipExchanges(1, () => ({ self: 1, send: [], receive: [] }));
    const policy = buildPlugin(stochasticGradientPush(), SyncPolicy, new Map([[Exchange.key, exchange]]));
    const traces: Record<string, number> = {};
    policy.init?.(Float32Array.of(1, 2), testStepContext(layout, { step: 0 }));
    await policy.onParameters(Float32Array.of(1, 2), testStepContext(layout, { step: 0 }, traces));
    expect(traces).toEqual({ pushSumWeight: 1 });
    expect(() => policy.restore!({ numerator: Float32Array.of(1, 2), weight: 0 })).toThrow(/'weight' must be a positive number/);
  });
});
