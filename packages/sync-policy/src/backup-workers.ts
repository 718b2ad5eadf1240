import { OptionError, SyncPolicy, Topology, Transport, knownOptions, numberOption, type PluginSpec } from '@syncopate/core';
import { FirstArrivalsRule } from './parameter-server/first-arrivals-rule.js';
import { ParameterServerPolicy } from './parameter-server/parameter-server-policy.js';
import { SERVER_RANKS_REQUIREMENT } from './stale-synchronous.js';

/** Options of {@link backupWorkers}. */
export interface BackupWorkersOptions {
  /** b: backup workers, an integer ≥ 0 below the number of workers. Default 1. */
  readonly backups?: number;
}

/**
 * Synchronous SGD with backup workers (Chen, Pan, Monga, Bengio & Jozefowicz, "Revisiting
 * Distributed Synchronous SGD", 2016), on the topology's parameter-server ranks. With n + b
 * workers, the server averages, for each version of its parameters, the changes of the first n
 * workers that computed theirs from that version, applies the average, and answers those n with
 * the new parameters; the b slowest arrive late, their changes are dropped (traced as `dropped`)
 * and they are answered at once with the newest parameters. A straggler therefore never stalls a
 * step, and every applied step averages exactly n changes (the effective batch of n workers).
 *
 * @example
 * ```ts
 * plugins: [star({ server: 0 }), backupWorkers({ backups: 1 })]  // 1 server, n + 1 workers
 * ```
 */
export function backupWorkers(options: BackupWorkersOptions = {}): PluginSpec<Required<BackupWorkersOptions>> {
  const owner = 'backupWorkers';
  knownOptions(owner, options, ['backups']);
  const resolved = Object.freeze({ backups: numberOption(owner, 'backups', options.backups, { min: 0, integer: true }, 1) });
  return Object.freeze({
    kind: 'sync-policy' as const,
    name: owner,
    options: resolved,
    requires: Object.freeze([SERVER_RANKS_REQUIREMENT]),
    register(registrar) {
      registrar.register(SyncPolicy, {
        useFactory: (resolver) =>
          new ParameterServerPolicy(
            owner,
            resolver.resolve(Transport),
            resolver.resolve(Topology),
            (layout, shard) => new FirstArrivalsRule(layout.workers.length - resolved.backups, shard.length),
            ({ workers }) => {
              if (resolved.backups >= workers.length) {
                throw new OptionError(owner, 'backups', `must be below the number of workers (${workers.length} on this topology), got ${resolved.backups}`);
              }
            },
          ),
      });
    },
  } satisfies PluginSpec<Required<BackupWorkersOptions>>);
}
