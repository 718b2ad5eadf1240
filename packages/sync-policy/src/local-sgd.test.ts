import { Exchange, OptionError, ParamLayout, StateError, SyncPolicy, type PluginSpec } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { localSgd } from './local-sgd.js';
import { inMemoryExchanges } from './testing/in-memory-exchange.js';
import { buildPlugin, testStepContext } from './testing/plugin-harness.js';

const layout = ParamLayout.of([
  { name: 'a', shape: [3] },
  { name: 'b', shape: [2] },
]);
const twoLayout = ParamLayout.of([{ name: 'w', shape: [2] }]);
const context = (step: number, rank: number, size: number, l = layout) => testStepContext(l, { step, rank, size });
const build = (spec: PluginSpec, services: Map<symbol, unknown>) => buildPlugin(spec, SyncPolicy, services);

describe('localSgd', () => {
  it('averages the parameters exactly on steps t with (t + 1) mod τ = 0 and never touches gradients', async () => {
    const exchanges = inMemoryExchanges(2);
    const policies = exchanges.map((exchange) => build(localSgd({ period: 3 }), new Map([[Exchange.key, exchange]])));
    const params = [Float32Array.of(1, 2, 3, 4, 5), Float32Array.of(3, 2, 1, 0, -1)];
    policies.forEach((p, r) => p.init?.(params[r]!, context(0, r, 2)));
    const synced: boolean[] = [];
    for (let step = 0; step < 6; step++) {
      const grads = [Float32Array.of(9, 9, 9, 9, 9), Float32Array.of(1, 1, 1, 1, 1)];
      await Promise.all(policies.map((p, r) => p.onGradients(grads[r]!, context(step, r, 2))));
      expect([...grads[0]!]).toEqual([9, 9, 9, 9, 9]);
      const before = params.map((p) => p.slice());
      const outcomes = await Promise.all(policies.map((p, r) => p.onParameters(params[r]!, context(step, r, 2))));
      synced.push(outcomes[0]!.synced);
      if (outcomes[0]!.synced) {
        const mean = before[0]!.map((v, i) => (v + before[1]![i]!) / 2);
        expect(params[0]).toEqual(mean);
        expect(params[1]).toEqual(mean);
      } else {
        expect(params).toEqual(before);
      }
      params[0]![0]! += step + 1; // local progress that differs between ranks
    }
    expect(synced).toEqual([false, false, true, false, false, true]);
  });

  it("with stream 'delta' reaches the same average through x₀ + mean(xᵢ − x₀) and checkpoints x₀", async () => {
    const exchanges = inMemoryExchanges(2);
    const policies = exchanges.map((exchange) => build(localSgd({ period: 1, stream: 'delta' }), new Map([[Exchange.key, exchange]])));
    const start = Float32Array.of(0.5, 0.25);
    const params = [start.slice(), start.slice()];
    policies.forEach((p, r) => p.init?.(params[r]!, context(0, r, 2, twoLayout)));
    params[0]!.set([1.5, 0.25]);
    params[1]!.set([0.5, -0.75]);
    await Promise.all(policies.map((p, r) => p.onParameters(params[r]!, context(0, r, 2, twoLayout))));
    expect([...params[0]!]).toEqual([1, -0.25]);
    expect(exchanges[1]!.requests[0]!.stream).toBe('delta');
    expect(policies[0]!.snapshot!()).toEqual({ anchor: Float32Array.of(1, -0.25) });
    expect(() => policies[0]!.restore!({ anchor: new Float32Array(7) })).toThrow(StateError);
  });

  it('finish averages only when local steps are left unsynchronised', async () => {
    const [exchange] = inMemoryExchanges(1);
    const policy = build(localSgd({ period: 4 }), new Map([[Exchange.key, exchange]]));
    await policy.finish!(new Float32Array(5), context(7, 0, 1));
    expect(exchange!.requests).toHaveLength(0);
    await policy.finish!(new Float32Array(5), context(8, 0, 1));
    expect(exchange!.requests).toHaveLength(1);
  });

  it('validates its options with the allowed range in the message', () => {
    expect(() => localSgd({ period: 0 })).toThrow(/localSgd: option 'period' must be an integer >= 1, got 0/);
    expect(() => localSgd({ period: 2.5 })).toThrow(OptionError);
    expect(() => localSgd({ stream: 'gradient' as never })).toThrow(/'parameter', 'delta'/);
    expect(() => localSgd({ perod: 3 } as never)).toThrow(/did you mean 'period'/);
    expect(localSgd().options).toEqual({ period: 12, stream: 'parameter' });
  });
});
