import { Capabilities, Exchange, ParamLayout, SyncPolicy, type Neighbourhood, type PluginSpec } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { decentralizedSgd } from './decentralized-sgd.js';
import { inMemoryGossipExchanges } from './testing/gossip-exchange.js';
import { buildPlugin, testStepContext } from './testing/plugin-harness.js';

const layout = ParamLayout.of([{ name: 'w', shape: [3] }]);
const size = 4;
/** The ring on 4 ranks with weight 1/3 on itself and each neighbour (doubly stochastic). */
const ring = (rank: number): Neighbourhood => {
  const peers = [(rank + size - 1) % size, (rank + 1) % size].map((peer) => ({ peer, weight: 1 / 3 }));
  return { self: 1 / 3, receive: peers, send: peers };
};
const build = (spec: PluginSpec, exchange: Exchange) => buildPlugin(spec, SyncPolicy, new Map([[Exchange.key, exchange]]));
const ctx = (step: number, rank: number) => testStepContext(layout, { step, rank, size });
const mean = (xs: Float32Array[]) => [0, 1, 2].map((i) => xs.reduce((s, x) => s + x[i]!, 0) / xs.length);
const spread = (xs: Float32Array[]) => Math.max(...xs.map((x) => Math.max(...[0, 1, 2].map((i) => Math.abs(x[i]! - mean(xs)[i]!)))));

function setUp(held?: Promise<void>) {
  const exchanges = inMemoryGossipExchanges(size, ring);
  // With `held`, the gossip started at the end of step 0 is held back until `held` resolves.
  const gated = exchanges.map((e): Exchange => ({ run: (b, q, o) => (held && q.step === 1 ? held.then(() => e.run(b, q, o)) : e.run(b, q, o)) }));
  const policies = gated.map((e) => build(decentralizedSgd(), e));
  const params = Array.from({ length: size }, (_, r) => Float32Array.of(r, -2 * r, r * r));
  policies.forEach((p, r) => p.init?.(params[r]!, ctx(0, r)));
  return { exchanges, policies, params };
}

/** One D-PSGD step where rank r's local update is `update(r, step)`. */
async function step(policies: SyncPolicy[], params: Float32Array[], k: number, update: (r: number) => number[]) {
  params.forEach((p, r) => update(r).forEach((u, i) => (p[i]! += u)));
  return Promise.all(policies.map((p, r) => p.onParameters(params[r]!, ctx(k, r))));
}

describe('decentralizedSgd', () => {
  it('preserves the mean over ranks: it moves by exactly the mean update, while the spread contracts', async () => {
    const { policies, params } = setUp();
    const update = (r: number) => [0.5 * r, -0.25, r % 2];
    let expected = mean(params);
    const spreads = [spread(params)];
    for (let k = 0; k < 12; k++) {
      await step(policies, params, k, update);
      expected = expected.map((m, i) => m + mean([0, 1, 2, 3].map((r) => Float32Array.from(update(r))))[i]!);
      mean(params).forEach((m, i) => expect(m).toBeCloseTo(expected[i]!, 4));
      spreads.push(spread(params));
    }
    // With identical updates on every rank the spread would vanish; with different ones it stays bounded.
    expect(Math.max(...spreads.slice(4))).toBeLessThan(spreads[0]!);
  });

  it('without updates, mixes every rank to the average of the initial parameters', async () => {
    const { policies, params } = setUp();
    const start = mean(params);
    for (let k = 0; k < 40; k++) await step(policies, params, k, () => [0, 0, 0]);
    for (const x of params) [...x].forEach((v, i) => expect(v).toBeCloseTo(start[i]!, 4));
  });

  it("computes x_{k+1} = Σ_j W_ij x_{k,j} + u_i with the gossip of x_k started at the end of step k − 1 (overlap)", async () => {
    const { exchanges, policies, params } = setUp();
    const x0 = params.map((p) => p.slice());
    await step(policies, params, 0, (r) => [r, 0, 0]);
    // Rank 1 mixes x0 of ranks 0, 1, 2 and adds its own update.
    const mixed = [0, 1, 2].map((i) => (x0[0]![i]! + x0[1]![i]! + x0[2]![i]!) / 3);
    [...params[1]!].forEach((v, i) => expect(v).toBeCloseTo(mixed[i]! + (i === 0 ? 1 : 0), 6));
    // Step 0's own gossip ran in step 0; the gossip of x_1 was started before onParameters returned.
    expect(exchanges[0]!.requests.map((q) => `${q.pattern}@${q.step}`)).toEqual(['neighbours@0', 'neighbours@1']);
  });

  it('refuses to snapshot while the gossip is in flight; after settle it resumes exactly', async () => {
    let release = () => {};
    const a = setUp(new Promise<void>((resolve) => (release = resolve)));
    await step(a.policies, a.params, 0, (r) => [r, 1, 0]);
    expect(() => a.policies[0]!.snapshot!()).toThrow(/still in flight; pause with fit\(\{ stopAtStep \}\)/);
    release();
    await Promise.all(a.policies.map((p, r) => p.settle!(ctx(0, r))));
    const snapshots = a.policies.map((p) => p.snapshot!());
    const b = setUp();
    b.policies.forEach((p, r) => {
      p.restore!(snapshots[r]!);
      b.params[r]!.set(a.params[r]!);
    });
    for (let k = 1; k < 4; k++) {
      await step(a.policies, a.params, k, (r) => [r, 1, 0]);
      await step(b.policies, b.params, k, (r) => [r, 1, 0]);
    }
    expect(b.params).toEqual(a.params);
  });

  it('finishes with one exact average, and declares that it needs neighbour averaging', async () => {
    const { policies, params } = setUp();
    await step(policies, params, 0, (r) => [r, 0, 0]);
    await Promise.all(policies.map((p, r) => p.finish!(params[r]!, ctx(0, r))));
    for (const x of params) expect(x).toEqual(params[0]);
    expect(decentralizedSgd().requires!.map((r) => r.capability)).toEqual([Capabilities.gossipPayloads, Capabilities.neighbourAverage]);
    expect(() => decentralizedSgd({ finalAverage: 'yes' } as never)).toThrow(/'finalAverage' must be true or false/);
  });
});
