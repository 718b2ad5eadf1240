import { Exchange, OptionError, ParamLayout, SyncPolicy, type PluginSpec } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { postLocalSgd } from './post-local-sgd.js';
import { inMemoryExchanges } from './testing/in-memory-exchange.js';
import { buildPlugin, testStepContext } from './testing/plugin-harness.js';

const layout = ParamLayout.of([{ name: 'w', shape: [2] }]);
const build = (spec: PluginSpec, exchange: Exchange) => buildPlugin(spec, SyncPolicy, new Map([[Exchange.key, exchange]]));

/**
 * Runs `steps` steps on 2 ranks with gradients (2r + 1)·[−1, 1] on rank r and a plain step x ← x − g
 * (so ranks move apart unless the gradients are averaged). Returns what each step did.
 */
async function run(spec: PluginSpec, steps: number, lrAt: (step: number) => number = () => 0.1, epochOf: (step: number) => number = () => 0) {
  const exchanges = inMemoryExchanges(2);
  const policies = exchanges.map((e) => build(spec, e));
  const params = [Float32Array.of(0, 0), Float32Array.of(0, 0)];
  policies.forEach((p, r) => p.init?.(params[r]!, testStepContext(layout, { step: 0, rank: r, size: 2 })));
  const log: { gradientsAveraged: boolean; synced: boolean; params: number[][]; phase: number }[] = [];
  for (let step = 0; step < steps; step++) {
    const traces: Record<string, number> = {};
    const ctx = (r: number) => testStepContext(layout, { step, rank: r, size: 2, lr: lrAt(step), epoch: epochOf(step) }, r === 0 ? traces : {});
    const grads = [Float32Array.of(-1, 1), Float32Array.of(-3, 3)];
    await Promise.all(policies.map((p, r) => p.onGradients(grads[r]!, ctx(r))));
    params.forEach((p, r) => {
      p[0]! -= grads[r]![0]!;
      p[1]! -= grads[r]![1]!;
    });
    const outcomes = await Promise.all(policies.map((p, r) => p.onParameters(params[r]!, ctx(r))));
    log.push({ gradientsAveraged: grads[0]![0] === -2, synced: outcomes[0]!.synced, params: params.map((p) => [...p]), phase: traces.phase! });
  }
  return { log, policies, params, exchanges };
}

describe('postLocalSgd', () => {
  it('averages gradients every step until the switch step, then averages parameters every H steps counted from the switch', async () => {
    const { log, exchanges } = await run(postLocalSgd({ switchStep: 2, period: 3 }), 8);
    expect(log.map((s) => s.gradientsAveraged)).toEqual([true, true, false, false, false, false, false, false]);
    expect(log.map((s) => s.synced)).toEqual([true, true, false, false, true, false, false, true]);
    expect(log.map((s) => s.phase)).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);
    // Two synchronous steps of the mean gradient, then local steps 2, 3, 4 of 1 and 3: the average is the midpoint.
    expect(log[1]!.params).toEqual([[4, -4], [4, -4]]);
    expect(log[3]!.params).toEqual([[6, -6], [10, -10]]);
    expect(log[4]!.params).toEqual([[10, -10], [10, -10]]);
    expect(exchanges[0]!.requests.map((q) => `${q.stream}@${q.step}`)).toEqual(['gradient@0', 'gradient@1', 'parameter@4', 'parameter@7']);
  });

  it('by default switches at the first learning-rate decay, and switches once', async () => {
    const lr = (step: number) => (step < 3 ? 0.1 : step < 6 ? 0.01 : 0.001);
    const { log, policies } = await run(postLocalSgd({ period: 2 }), 8, lr);
    expect(log.map((s) => s.phase)).toEqual([0, 0, 0, 1, 1, 1, 1, 1]);
    expect(log.map((s) => s.synced)).toEqual([true, true, true, false, true, false, true, false]);
    expect((policies[0] as unknown as { switchStep: number }).switchStep).toBe(3);
  });

  it('switches at a given epoch', async () => {
    const { log } = await run(postLocalSgd({ switchEpoch: 1, period: 2 }), 6, undefined, (step) => Math.floor(step / 4));
    expect(log.map((s) => s.phase)).toEqual([0, 0, 0, 0, 1, 1]);
  });

  it("with stream 'delta' gives the same averages, and finish averages leftover local steps", async () => {
    const viaParameters = await run(postLocalSgd({ switchStep: 1, period: 2 }), 6);
    const viaDelta = await run(postLocalSgd({ switchStep: 1, period: 2, stream: 'delta' }), 6);
    expect(viaDelta.log.map((s) => s.params)).toEqual(viaParameters.log.map((s) => s.params));
    expect(viaDelta.exchanges[0]!.requests.map((q) => q.stream)).toEqual(['gradient', 'delta', 'delta']);
    const { policies, params } = viaDelta;
    expect(params[0]).not.toEqual(params[1]);
    await Promise.all(policies.map((p, r) => p.finish!(params[r]!, testStepContext(layout, { step: 5, rank: r, size: 2 }))));
    expect(params[0]).toEqual(params[1]);
  });

  it('checkpoints the switch and the anchor', async () => {
    const { policies } = await run(postLocalSgd({ switchStep: 1, period: 2, stream: 'delta' }), 3);
    const snapshot = policies[0]!.snapshot!();
    expect(snapshot).toMatchObject({ switchedAt: 1, lastLr: 0.1 });
    const fresh = build(postLocalSgd({ switchStep: 1, period: 2, stream: 'delta' }), inMemoryExchanges(1)[0]!);
    fresh.restore!(snapshot);
    expect(fresh.snapshot!()).toEqual(snapshot);
    expect(() => fresh.restore!({ switchedAt: 'x' })).toThrow(/snapshot field 'switchedAt'/);
  });

  it('validates its options', () => {
    expect(() => postLocalSgd({ switchStep: 3, switchEpoch: 1 })).toThrow(/cannot both be given/);
    expect(() => postLocalSgd({ period: 0 })).toThrow(/'period' must be an integer >= 1/);
    expect(() => postLocalSgd({ switchStep: -1 })).toThrow(OptionError);
    expect(() => postLocalSgd({ swichStep: 3 } as never)).toThrow(/did you mean 'switchStep'/);
    expect(postLocalSgd().options).toEqual({ period: 16, switchAt: 'lr-decay', switchValue: -1, stream: 'parameter' });
  });
});
