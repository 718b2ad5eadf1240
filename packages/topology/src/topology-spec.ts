import { OptionError, Topology, Transport, type Capability, type PluginSpec } from '@syncopate/core';

/**
 * A topology plugin spec. Besides registering under the `Topology` token (sized by the
 * transport), it can `build` the topology for any size directly, for analysis and tests.
 */
export interface TopologySpec<Options> extends PluginSpec<Options> {
  /** The topology on `size` ranks; throws an `OptionError` when the options do not fit `size`. */
  build(size: number): Topology;
}

/**
 * Make a topology spec: `register` adds a factory that reads the transport's size and calls
 * `build` with it.
 */
export function topologySpec<Options>(init: {
  readonly name: string;
  readonly options: Options;
  readonly provides: readonly Capability[];
  readonly build: (size: number) => Topology;
}): TopologySpec<Readonly<Options>> {
  const options = Object.freeze({ ...init.options });
  const build = (size: number): Topology => {
    if (!Number.isInteger(size) || size < 1) throw new OptionError(init.name, 'size', `must be an integer >= 1, got ${size}`);
    return init.build(size);
  };
  return Object.freeze({
    kind: 'topology' as const,
    name: init.name,
    options,
    provides: Object.freeze([...init.provides]),
    build,
    register(registrar) {
      registrar.register(Topology, { useFactory: (resolver) => build(resolver.resolve(Transport).size) });
    },
  } satisfies TopologySpec<Readonly<Options>>);
}

/** `[0, 1, …, size − 1]`. */
export function allRanks(size: number): number[] {
  return Array.from({ length: size }, (_, r) => r);
}
