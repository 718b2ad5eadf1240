import { Capabilities, CompositionError, Exchange, ProvidedCapabilities, SyncPolicy, type ExchangeRequest } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { SlowMo, slowMo } from '../slow-mo.js';
import { buildMomentum, flatLayout, momentumStepContext } from '../testing/index.js';

const layout = flatLayout(2);
const ctx = (step: number) => momentumStepContext(layout, { step, size: 2, lr: 0.5 });

/** A gossip policy and an exchange that log the order of the calls the outer optimizer makes. */
function gossipComposition(log: string[], provided: string[]) {
  const policy: SyncPolicy = {
    name: 'gossipStub',
    onGradients: async () => undefined,
    onParameters: async () => ({ synced: false }),
    settle: async () => void log.push('settle'),
    restart: (parameters) => void log.push(`restart ${[...parameters].join(',')}`),
  };
  const exchange: Exchange = {
    run: async (buffer: Float32Array, request: ExchangeRequest) => {
      log.push(`exchange ${request.stream} step ${request.step} compress ${String(request.compress)}`);
      buffer.set([1, 1]); // the other rank held [1 − d, 1 + d]: the mean is [1, 1]
      return { bytesSent: 8, compressionMs: 0, communicationMs: 0 };
    },
  };
  return [
    [ProvidedCapabilities, new Set(provided)],
    [SyncPolicy, policy],
    [Exchange, exchange],
  ] as const;
}

describe('the exact average an outer optimizer takes itself', () => {
  it('over a restartable policy: after every τ steps, settle → uncompressed average → (outer step) → restart', async () => {
    const log: string[] = [];
    const outer = buildMomentum<SlowMo>(slowMo({ alpha: 1, beta: 0, period: 3 }), gossipComposition(log, [Capabilities.restartable]));
    outer.init(Float32Array.of(0, 0));
    const x = Float32Array.of(2, 0);
    for (const step of [0, 1]) expect(await outer.onStep(x, ctx(step))).toBeUndefined();
    expect(log).toEqual([]);
    expect(await outer.onStep(x, ctx(2))).toEqual({ synced: true });
    await outer.onSync(x, ctx(2));
    expect(log).toEqual(['settle', 'exchange parameter step 2 compress false', 'restart 1,1']);
    expect([...x]).toEqual([1, 1]);
  });

  it('over a policy that averages exactly: nothing of its own (the policy syncs)', async () => {
    const log: string[] = [];
    const outer = buildMomentum<SlowMo>(slowMo({ period: 1 }), gossipComposition(log, [Capabilities.exactAverage, Capabilities.restartable]));
    outer.init(Float32Array.of(0, 0));
    expect(await outer.onStep(Float32Array.of(2, 0), ctx(0))).toBeUndefined();
    expect(log).toEqual([]);
  });

  it('refuses, naming both plugins, a composition whose policy gives neither (when built without createTrainer)', () => {
    expect(() => buildMomentum(slowMo(), gossipComposition([], [Capabilities.lockstepSync]))).toThrow(CompositionError);
    expect(() => buildMomentum(slowMo(), gossipComposition([], [Capabilities.lockstepSync]))).toThrow(
      "momentum 'slowMo' needs a sync-policy with 'sync-policy:exact-average' or 'sync-policy:restartable', but sync-policy 'gossipStub' provides neither",
    );
    expect(slowMo().requires).toEqual([expect.objectContaining({ capability: Capabilities.exactAverage, alternatives: [Capabilities.restartable], from: 'sync-policy' })]);
  });
});
