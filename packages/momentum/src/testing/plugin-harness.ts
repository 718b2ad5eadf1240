import {
  Momentum,
  ParamLayout,
  createRng,
  type PluginSpec,
  type Provider,
  type Resolver,
  type StepContext,
  type Token,
} from '@syncopate/core';

/**
 * Build the `Momentum` a plugin spec registers, the way a trainer would (through `register` and
 * a resolver over `services`, keyed by token), without a container. For unit tests of momentum
 * plugins; a missing service throws, naming its token.
 */
export function buildMomentum<T extends Momentum = Momentum>(spec: PluginSpec, services: ReadonlyArray<readonly [Token<unknown>, unknown]> = []): T {
  const byKey = new Map(services.map(([token, value]) => [token.key, value]));
  let provider: Provider<Momentum> | undefined;
  spec.register({
    register: (token, p) => {
      if (token.key === Momentum.key) provider = p as unknown as Provider<Momentum>;
    },
  });
  if (!provider) throw new Error(`${spec.kind} '${spec.name}' registered nothing under ${Momentum.name}`);
  const resolver: Resolver = {
    resolve: (token) => {
      if (!byKey.has(token.key)) throw new Error(`no ${token.name} in this test`);
      return byKey.get(token.key) as never;
    },
    resolveOptional: (token) => byKey.get(token.key) as never,
    isRegistered: (token) => byKey.has(token.key),
  };
  return ('useFactory' in provider ? provider.useFactory(resolver) : provider.useValue) as T;
}

/** A step context for unit tests: seeded randomness, traces dropped. */
export function momentumStepContext(layout: ParamLayout, at: { step: number; lr?: number; rank?: number; size?: number }): StepContext {
  const rank = at.rank ?? 0;
  return {
    step: at.step,
    epoch: 0,
    lr: at.lr ?? 0.1,
    rank,
    size: at.size ?? 1,
    layout,
    rng: (stream, shared) => createRng({ seed: 1, rank: shared ? 0xffffffff : rank, step: at.step, stream }),
    trace: () => {},
  };
}

/** A flat layout of one tensor `w` with `length` elements. */
export function flatLayout(length: number): ParamLayout {
  return ParamLayout.of([{ name: 'w', shape: [length] }]);
}
