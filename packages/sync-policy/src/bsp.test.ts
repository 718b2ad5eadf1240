import { Exchange, OptionError, ParamLayout, Scheduler, SyncPolicy, type PluginSpec } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { bsp } from './bsp.js';
import { inMemoryExchanges } from './testing/in-memory-exchange.js';
import { buildPlugin, testStepContext } from './testing/plugin-harness.js';

const layout = ParamLayout.of([
  { name: 'a', shape: [3] },
  { name: 'b', shape: [2] },
]);

const context = (step: number, rank: number, size: number) => testStepContext(layout, { step, rank, size });
const build = (spec: PluginSpec, services: Map<symbol, unknown>) => buildPlugin(spec, SyncPolicy, services);

describe('bsp', () => {
  it('leaves every rank with the mean gradient, every step, and always reports a sync', async () => {
    const exchanges = inMemoryExchanges(3);
    const policies = exchanges.map((exchange) => build(bsp(), new Map([[Exchange.key, exchange]])));
    const gradients = [0, 1, 2].map((r) => Float32Array.from({ length: 5 }, (_, i) => r * 10 + i));
    await Promise.all(policies.map((p, r) => p.onGradients(gradients[r]!, context(0, r, 3))));
    for (const g of gradients) expect([...g]).toEqual([10, 11, 12, 13, 14]);
    const outcomes = await Promise.all(policies.map((p, r) => p.onParameters(new Float32Array(5), context(0, r, 3))));
    expect(outcomes.every((o) => o.synced)).toBe(true);
    expect(exchanges[0]!.requests.map((q) => q.stream)).toEqual(['gradient']);
  });

  it("sends one request per bucket of the scheduler's plan, in plan order", async () => {
    const [exchange] = inMemoryExchanges(1);
    const scheduler: Scheduler = {
      name: 'twoBuckets',
      plan: (l) => ({ buckets: [l.span(0, 0, 0), l.span(1, 1, 1)], order: [1, 0], hash: 'x' }),
    };
    const policy = build(bsp(), new Map<symbol, unknown>([[Exchange.key, exchange], [Scheduler.key, scheduler]]));
    policy.init?.(new Float32Array(5), context(0, 0, 1));
    await policy.onGradients(new Float32Array(5), context(4, 0, 1));
    expect(exchange!.requests.map((q) => [q.bucket?.index, q.step])).toEqual([[1, 4], [0, 4]]);
  });

  it('takes no options', () => {
    expect(() => bsp({ period: 2 } as never)).toThrow(OptionError);
    expect(bsp()).toMatchObject({ kind: 'sync-policy', name: 'bsp', options: {} });
  });
});
