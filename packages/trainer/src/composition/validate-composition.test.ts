import { Capabilities, CompositionError, type PluginKind, type PluginSpec, type Requirement } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { compositionHash, describeComposition } from './composition-hash.js';
import { validateComposition } from './validate-composition.js';

/** A minimal spec: these tests are about the composition rules, not about any algorithm. */
const spec = (kind: PluginKind, name: string, extra: { provides?: string[]; requires?: Requirement[]; options?: object } = {}): PluginSpec =>
  Object.freeze({ kind, name, options: extra.options ?? {}, provides: extra.provides, requires: extra.requires, register() {} });

const needsGather: Requirement = {
  capability: Capabilities.allgather,
  from: 'collective',
  reason: 'top-k payloads are index/value pairs that must be gathered',
};
const defaults = {
  collective: () => spec('collective', 'nativeCollective', { provides: [Capabilities.allreduce, Capabilities.allgather] }),
  'sync-policy': () => spec('sync-policy', 'bsp'),
};

describe('validateComposition', () => {
  it('fills omitted kinds with defaults and orders plugins by kind', () => {
    const composition = validateComposition([spec('momentum', 'slowMo'), spec('sync-policy', 'localSgd')], defaults);
    expect(composition.plugins.map((p) => `${p.spec.kind}:${p.spec.name}:${p.isDefault}`)).toEqual([
      'collective:nativeCollective:true',
      'sync-policy:localSgd:false',
      'momentum:slowMo:false',
    ]);
    expect(composition.get('compressor')).toBeUndefined();
  });

  it('refuses two plugins of one kind, naming both', () => {
    const attempt = () => validateComposition([spec('sync-policy', 'bsp'), spec('sync-policy', 'localSgd')], defaults);
    expect(attempt).toThrow(CompositionError);
    expect(attempt).toThrow("two sync-policy plugins, 'bsp' and 'localSgd'");
  });

  it('refuses an unmet requirement, naming the requiring plugin and the plugin of the kind that is there', () => {
    const ring = spec('collective', 'ringAllreduce', { provides: [Capabilities.allreduce] });
    const topK = spec('compressor', 'topK', { requires: [needsGather] });
    let error: CompositionError | undefined;
    try {
      validateComposition([topK, ring], defaults);
    } catch (e) {
      error = e as CompositionError;
    }
    expect(error?.message).toBe(
      "compressor 'topK' needs a collective with 'collective:allgather' (top-k payloads are index/value pairs that must be gathered), but collective 'ringAllreduce' does not provide it",
    );
    expect(error?.plugins).toEqual(['topK', 'ringAllreduce']);
    expect(() => validateComposition([topK], defaults)).not.toThrow();
    expect(() => validateComposition([topK], {})).toThrow("but the composition has no collective");
  });

  it('accepts any alternative of a requirement, refuses when none is provided (naming them all), and reports what is provided', () => {
    const outer: Requirement = { capability: Capabilities.exactAverage, alternatives: [Capabilities.restartable], from: 'sync-policy', reason: 'the outer step needs the exact average' };
    const slowMo = () => spec('momentum', 'slowMo', { requires: [outer] });
    const exact = validateComposition([spec('sync-policy', 'localSgd', { provides: [Capabilities.exactAverage] }), slowMo()], defaults);
    expect([...exact.provided]).toEqual(expect.arrayContaining([Capabilities.exactAverage, Capabilities.allreduce, Capabilities.allgather]));
    const gossip = validateComposition([spec('sync-policy', 'stochasticGradientPush', { provides: [Capabilities.restartable] }), slowMo()], defaults);
    expect(gossip.provided.has(Capabilities.exactAverage)).toBe(false);
    expect(gossip.provided.has(Capabilities.restartable)).toBe(true);
    let error: CompositionError | undefined;
    try {
      validateComposition([spec('sync-policy', 'staleSynchronous', { provides: [Capabilities.lockstepSync] }), slowMo()], defaults);
    } catch (e) {
      error = e as CompositionError;
    }
    expect(error).toBeInstanceOf(CompositionError);
    expect(error!.plugins).toEqual(['slowMo', 'staleSynchronous']);
    expect(error!.message).toBe(
      "momentum 'slowMo' needs a sync-policy with 'sync-policy:exact-average' or 'sync-policy:restartable' (the outer step needs the exact average), but sync-policy 'staleSynchronous' does not provide any of them",
    );
  });

  it('names a default when it is the plugin that falls short', () => {
    const vote = spec('compressor', 'signum', { requires: [{ capability: Capabilities.vote, from: 'collective', reason: 'signs are majority-voted' }] });
    expect(() => validateComposition([vote], defaults)).toThrow("but collective 'nativeCollective' (the default) does not provide it");
  });

  it('refuses entries that are not plugin specs, saying what is wrong', () => {
    expect(() => validateComposition([(() => spec('momentum', 'x')) as never], defaults)).toThrow(/plugins\[0\] is a function \(call the factory/);
    expect(() => validateComposition([spec('optimizer' as never, 'x')], defaults)).toThrow(/plugins\[0\] has kind "optimizer"/);
    expect(() => validateComposition([null as never], defaults)).toThrow(/plugins\[0\] is null/);
  });

  it('hashes kinds, names and options (key order does not matter; values do)', () => {
    const extra = { trainer: { lr: 0.1 }, layoutHash: 'l', planHash: 'p' };
    const hash = (options: object) => compositionHash(describeComposition(validateComposition([spec('sync-policy', 'localSgd', { options })], defaults), extra));
    expect(hash({ period: 4, stream: 'parameter' })).toBe(hash({ stream: 'parameter', period: 4 }));
    expect(hash({ period: 4 })).not.toBe(hash({ period: 8 }));
  });
});
