import { Capabilities, SyncPolicy, Topology, Transport, choiceOption, knownOptions, numberOption, type PluginSpec } from '@syncopate/core';
import { ParameterServerPolicy } from './parameter-server/parameter-server-policy.js';
import { StalenessRule } from './parameter-server/staleness-rule.js';

/** Options of {@link staleSynchronous}. */
export interface StaleSynchronousOptions {
  /** s: how many steps a worker may be ahead of the slowest one, an integer ≥ 0. Default 3. */
  readonly staleness?: number;
  /**
   * How the server applies each worker's change: `sum` (default; in full, as in the survey's
   * update rule, so n workers move the model n times per round) or `mean` (divided by the number of
   * workers, so s = 0 takes the steps of synchronous mini-batch SGD).
   */
  readonly combine?: 'sum' | 'mean';
}

/** The requirement every parameter-server policy declares. */
export const SERVER_RANKS_REQUIREMENT = Object.freeze({
  capability: Capabilities.serverRanks,
  from: 'topology' as const,
  reason: 'the parameters live on server ranks (use star())',
});

/**
 * Stale-synchronous parallel SGD, SSP (Ho, Cipar, Cui, Lee, Kim, Gibbons, Gibson, Ganger & Xing,
 * "More Effective Distributed ML via a Stale Synchronous Parallel Parameter Server", NIPS 2013), on
 * the topology's parameter-server ranks. Each worker pushes the change of its parameters after
 * every step; the server applies it at once and answers with its current parameters, but holds the
 * answer back while the worker would start a step more than s steps ahead of the slowest worker
 * (a worker's clock is the number of steps it pushed). So fast workers use slightly stale
 * parameters instead of waiting, up to the bound. Traces `ahead` (the worker's lead over the
 * slowest when answered, ≤ s) and `staleness` (server updates between its pull and its push).
 *
 * @example
 * ```ts
 * plugins: [star({ server: 0 }), staleSynchronous({ staleness: 2 })]
 * ```
 */
export function staleSynchronous(options: StaleSynchronousOptions = {}): PluginSpec<Required<StaleSynchronousOptions>> {
  const owner = 'staleSynchronous';
  knownOptions(owner, options, ['staleness', 'combine']);
  const resolved = Object.freeze({
    staleness: numberOption(owner, 'staleness', options.staleness, { min: 0, integer: true }, 3),
    combine: choiceOption(owner, 'combine', options.combine, ['sum', 'mean'] as const, 'sum'),
  });
  return Object.freeze({
    kind: 'sync-policy' as const,
    name: owner,
    options: resolved,
    requires: Object.freeze([SERVER_RANKS_REQUIREMENT]),
    register(registrar) {
      registrar.register(SyncPolicy, {
        useFactory: (resolver) =>
          new ParameterServerPolicy(owner, resolver.resolve(Transport), resolver.resolve(Topology), (layout) =>
            new StalenessRule(resolved.staleness, resolved.combine === 'mean' ? 1 / layout.workers.length : 1),
          ),
      });
    },
  } satisfies PluginSpec<Required<StaleSynchronousOptions>>);
}
