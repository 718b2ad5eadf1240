import { OptionError, booleanOption, choiceOption, formatValue, knownOptions, numberOption } from '@syncopate/core';

/** How to launch a job with Open MPI's `mpirun`. */
export interface MpirunOptions {
  /** Number of ranks. */
  readonly np: number;
  /** Run more ranks than cores (`--oversubscribe`). Default true. */
  readonly oversubscribe?: boolean;
  /** Let root launch (`--allow-run-as-root`). Default: true when running as root. */
  readonly allowRunAsRoot?: boolean;
  /** `--bind-to`. Default `none`: pinned ranks on an oversubscribed machine wait for each other's time slices. */
  readonly bindTo?: 'none' | 'core' | 'socket' | 'numa';
  /** `--hostfile`, for several machines. */
  readonly hostfile?: string;
  /** Environment variables to forward to every rank (`-x NAME`). */
  readonly env?: readonly string[];
  /** Extra MCA parameters (`--mca name value`). */
  readonly mca?: Readonly<Record<string, string | number>>;
  /**
   * Keep the other ranks running when one exits with an error (Open MPI's
   * `orte_abort_on_non_zero_status 0`), so that they report the lost rank themselves (a
   * `RankLostError` from the transport) instead of being killed by `mpirun`. Default false.
   */
  readonly keepGoingOnFailure?: boolean;
}

const OWNER = 'mpirunArgs';
const KNOWN = ['np', 'oversubscribe', 'allowRunAsRoot', 'bindTo', 'hostfile', 'env', 'mca', 'keepGoingOnFailure'];

/**
 * The `mpirun` flags that work on a development machine: `--allow-run-as-root` (when root),
 * `--oversubscribe`, `--bind-to none`, then `-np N`. Put the program and its arguments after them.
 *
 * @example
 * ```ts
 * spawn('mpirun', [...mpirunArgs({ np: 4 }), process.execPath, 'train.js']);
 * ```
 */
export function mpirunArgs(options: MpirunOptions): string[] {
  knownOptions(OWNER, options, KNOWN);
  const np = numberOption(OWNER, 'np', options.np, { integer: true, min: 1 });
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const args: string[] = [];
  if (booleanOption(OWNER, 'allowRunAsRoot', options.allowRunAsRoot, root)) args.push('--allow-run-as-root');
  if (booleanOption(OWNER, 'oversubscribe', options.oversubscribe, true)) args.push('--oversubscribe');
  args.push('--bind-to', choiceOption(OWNER, 'bindTo', options.bindTo, ['none', 'core', 'socket', 'numa'], 'none'));
  if (options.hostfile !== undefined) {
    if (typeof options.hostfile !== 'string' || options.hostfile.length === 0) {
      throw new OptionError(OWNER, 'hostfile', `must be a path, got ${formatValue(options.hostfile)}`);
    }
    args.push('--hostfile', options.hostfile);
  }
  for (const name of options.env ?? []) {
    if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new OptionError(OWNER, 'env', `must list environment variable names, got ${formatValue(name)}`);
    }
    args.push('-x', name);
  }
  const mca: Record<string, string | number> = { ...options.mca };
  if (booleanOption(OWNER, 'keepGoingOnFailure', options.keepGoingOnFailure, false)) mca.orte_abort_on_non_zero_status = 0;
  for (const [name, value] of Object.entries(mca)) {
    if (!/^[a-z0-9_]+$/.test(name)) throw new OptionError(OWNER, 'mca', `has a parameter name Open MPI does not use: ${formatValue(name)}`);
    args.push('--mca', name, String(value));
  }
  args.push('-np', String(np));
  return args;
}
