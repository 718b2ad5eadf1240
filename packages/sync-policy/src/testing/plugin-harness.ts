import { createRng, type ParamLayout, type PluginSpec, type Provider, type Resolver, type StepContext, type Token } from '@syncopate/core';

/**
 * Build the service a plugin spec registers under `token`, the way a trainer would (through
 * `register` and a resolver over `services`), without a container. For unit tests of plugins.
 */
export function buildPlugin<T>(spec: PluginSpec, token: Token<T>, services: ReadonlyMap<symbol, unknown> = new Map()): T {
  let provider: Provider<T> | undefined;
  spec.register({
    register: (t, p) => {
      if (t.key === token.key) provider = p as unknown as Provider<T>;
    },
  });
  if (!provider) throw new Error(`${spec.kind} '${spec.name}' registered nothing under ${token.name}`);
  const resolver: Resolver = {
    resolve: (t) => {
      if (!services.has(t.key)) throw new Error(`no ${t.name} in this test`);
      return services.get(t.key) as never;
    },
    resolveOptional: (t) => services.get(t.key) as never,
    isRegistered: (t) => services.has(t.key),
  };
  return 'useFactory' in provider ? provider.useFactory(resolver) : provider.useValue;
}

/** A step context for unit tests: seeded randomness, traces collected into `traces`. */
export function testStepContext(
  layout: ParamLayout,
  at: { step: number; rank?: number; size?: number; lr?: number; epoch?: number },
  traces: Record<string, number> = {},
): StepContext {
  const rank = at.rank ?? 0;
  return {
    step: at.step,
    epoch: at.epoch ?? 0,
    lr: at.lr ?? 0.1,
    rank,
    size: at.size ?? 1,
    layout,
    rng: (stream, shared) => createRng({ seed: 1, rank: shared ? 0xffffffff : rank, step: at.step, stream }),
    trace: (name, value) => {
      traces[name] = value;
    },
  };
}
