import { Capabilities, Collective, CompositionError, OptionError, Topology, Transport, type Provider, type Resolver, type Token } from '@syncopate/core';
import { runSimulated } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { matrixTopology } from '../testing/index.js';
import { TransportCollective } from '../transport-collective.js';
import { autoAllreduce } from './auto-allreduce.js';
import { neighbourAverage, pushSum } from './gossip.js';
import { hierarchicalAllreduce } from './hierarchical-allreduce.js';
import { nativeCollective } from './native-collective.js';
import { binaryTreeAllreduce, recursiveDoublingAllreduce, ringAllreduce } from './pinned-allreduce.js';

/** Registers `spec` and resolves its Collective with the given services. */
function build(spec: { register: (r: { register: <T>(t: Token<T>, p: Provider<T>) => void }) => void }, services: Map<symbol, unknown>): Collective {
  let provider: Provider<Collective> | undefined;
  spec.register({ register: (token, p) => token.key === Collective.key && (provider = p as unknown as Provider<Collective>) });
  const resolver: Resolver = {
    resolve: <T>(token: Token<T>) => {
      if (!services.has(token.key)) throw new CompositionError([], `nothing registered for ${token.name}`);
      return services.get(token.key) as T;
    },
    resolveOptional: <T>(token: Token<T>) => services.get(token.key) as T | undefined,
    isRegistered: (token) => services.has(token.key),
  };
  return (provider as { useFactory: (r: Resolver) => Collective }).useFactory(resolver);
}

describe('collective specs', () => {
  it('are inert collective specs that declare what they provide', () => {
    for (const spec of [nativeCollective(), ringAllreduce(), recursiveDoublingAllreduce(), binaryTreeAllreduce(), autoAllreduce(), hierarchicalAllreduce({ localSize: 2 })]) {
      expect(spec.kind).toBe('collective');
      expect(spec.provides).toEqual([Capabilities.allreduce, Capabilities.allgather, Capabilities.vote]);
    }
    expect(neighbourAverage().provides).toContain(Capabilities.neighbourAverage);
    expect(neighbourAverage().requires?.[0]?.capability).toBe(Capabilities.doublyStochastic);
    expect(pushSum().provides).toContain(Capabilities.pushSum);
    expect(hierarchicalAllreduce().requires?.[0]?.capability).toBe(Capabilities.groups);
  });

  it('check their options at once, naming the option and the allowed values', () => {
    expect(() => nativeCollective({ link: { latencyMs: -1 } })).toThrow(/nativeCollective: option 'link.latencyMs' must be a finite number >= 0, got -1/);
    expect(() => autoAllreduce({ link: { bandwidthGbps: 0 } })).toThrow(/option 'link.bandwidthGbps' must be a finite number > 0/);
    expect(() => ringAllreduce({ chunk: 1 } as never)).toThrow(/'chunk' is not an option of ringAllreduce/);
    expect(() => hierarchicalAllreduce({ inter: 'star' as never })).toThrow(/'auto', 'ring', 'recursive-doubling', 'binary-tree'/);
    expect(() => neighbourAverage({ allreduce: 'fast' as never })).toThrow(OptionError);
    expect(() => hierarchicalAllreduce({ localSize: 0 })).toThrow(/option 'localSize' must be an integer >= 1, got 0/);
  });

  it('build working collectives from the Transport (and Topology) tokens', async () => {
    const topology = matrixTopology('pair', 2, () => [
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
    const { results } = await runSimulated(2, async (t) => {
      const services = new Map<symbol, unknown>([
        [Transport.key, t],
        [Topology.key, topology],
      ]);
      const out: number[] = [];
      for (const spec of [nativeCollective(), ringAllreduce(), recursiveDoublingAllreduce(), binaryTreeAllreduce(), autoAllreduce(), hierarchicalAllreduce(), hierarchicalAllreduce({ localSize: 1 })]) {
        const c = build(spec, services);
        const x = Float32Array.of(t.rank + 1);
        await c.allreduce(x);
        out.push(x[0]!);
      }
      const gossip = build(neighbourAverage(), services);
      const y = Float32Array.of(t.rank * 4);
      await gossip.neighbourAverage!(y, 0);
      out.push(y[0]!);
      const push = build(pushSum(), services);
      const w = await push.pushSum!(Float32Array.of(t.rank * 4), 1, 0);
      out.push(w);
      return out;
    });
    for (const r of results) expect(r).toEqual([3, 3, 3, 3, 3, 3, 3, 2, 1]);
  });

  it('report a missing topology or a localSize that does not fit', async () => {
    await runSimulated(3, (t) => {
      const services = new Map<symbol, unknown>([[Transport.key, t]]);
      expect(() => build(neighbourAverage(), services)).toThrow(/nothing registered for syncopate\/Topology/);
      expect(() => build(hierarchicalAllreduce({ localSize: 2 }), services)).toThrow(/option 'localSize' must divide the number of ranks 3, got 2/);
      expect(build(nativeCollective(), services)).toBeInstanceOf(TransportCollective);
    });
  });
});
