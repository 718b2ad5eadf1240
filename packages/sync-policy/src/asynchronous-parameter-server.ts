import { SyncPolicy, Topology, Transport, choiceOption, knownOptions, type PluginSpec } from '@syncopate/core';
import { ParameterServerPolicy } from './parameter-server/parameter-server-policy.js';
import { StalenessRule } from './parameter-server/staleness-rule.js';
import { SERVER_RANKS_REQUIREMENT } from './stale-synchronous.js';

/** Options of {@link asynchronousParameterServer}. */
export interface AsynchronousParameterServerOptions {
  /** `sum` (default; each change in full, the survey's Eq. 8) or `mean` (divided by the number of workers). */
  readonly combine?: 'sum' | 'mean';
}

/**
 * Asynchronous SGD on a parameter server, ASP (Recht, Ré, Wright & Niu, "Hogwild!", NIPS 2011;
 * Dean et al., "Large Scale Distributed Deep Networks", NIPS 2012, Downpour SGD): every worker
 * pushes the change of its parameters after each step; the server applies it the moment it
 * arrives, x ← x + Δ, and answers at once with its current parameters. No worker ever waits for
 * another, so a straggler slows only itself; the price is staleness — changes computed on
 * parameters that others have moved since (traced as `staleness`). SSP with an infinite bound.
 *
 * @example
 * ```ts
 * plugins: [star({ server: 0 }), asynchronousParameterServer({ combine: 'mean' })]
 * ```
 */
export function asynchronousParameterServer(options: AsynchronousParameterServerOptions = {}): PluginSpec<Required<AsynchronousParameterServerOptions>> {
  const owner = 'asynchronousParameterServer';
  knownOptions(owner, options, ['combine']);
  const resolved = Object.freeze({ combine: choiceOption(owner, 'combine', options.combine, ['sum', 'mean'] as const, 'sum') });
  return Object.freeze({
    kind: 'sync-policy' as const,
    name: owner,
    options: resolved,
    requires: Object.freeze([SERVER_RANKS_REQUIREMENT]),
    register(registrar) {
      registrar.register(SyncPolicy, {
        useFactory: (resolver) =>
          new ParameterServerPolicy(owner, resolver.resolve(Transport), resolver.resolve(Topology), (layout) =>
            new StalenessRule(Infinity, resolved.combine === 'mean' ? 1 / layout.workers.length : 1),
          ),
      });
    },
  } satisfies PluginSpec<Required<AsynchronousParameterServerOptions>>);
}
