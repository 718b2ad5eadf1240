import { Capabilities, Collective, type Capability, type PluginSpec, type Requirement, type Resolver } from '@syncopate/core';

/** What every collective of this package offers: allreduce, allgather(v) and majority vote. */
export const BASE_CAPABILITIES: readonly Capability[] = Object.freeze([Capabilities.allreduce, Capabilities.allgather, Capabilities.vote]);

/** Make an inert collective spec whose `register` adds `create` under the `Collective` token. */
export function collectiveSpec<Options>(init: {
  readonly name: string;
  readonly options: Options;
  readonly provides: readonly Capability[];
  readonly requires?: readonly Requirement[];
  readonly create: (resolver: Resolver) => Collective;
}): PluginSpec<Readonly<Options>> {
  return Object.freeze({
    kind: 'collective' as const,
    name: init.name,
    options: Object.freeze({ ...init.options }),
    provides: Object.freeze([...init.provides]),
    ...(init.requires ? { requires: Object.freeze([...init.requires]) } : {}),
    register(registrar) {
      registrar.register(Collective, { useFactory: init.create });
    },
  } satisfies PluginSpec<Readonly<Options>>);
}
