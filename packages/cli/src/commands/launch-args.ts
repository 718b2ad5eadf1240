/**
 * The command line of `syncopate launch`: launch options up to the program, then the program and
 * its arguments untouched (they may look like options). Open MPI's spelling `-np N` is accepted
 * next to `--np N`, `-n N` and `--np=N`.
 */
import type { MpirunOptions } from '@syncopate/transport-mpi';
import { UsageError } from '../cli-error.js';

/** What `syncopate launch` was asked to do. */
export interface LaunchRequest {
  readonly mpirun: MpirunOptions;
  /** The program and its arguments; a `.js`/`.mjs`/`.cjs` script is run with this Node. */
  readonly program: readonly string[];
  /** Print the mpirun command line instead of running it. */
  readonly dryRun: boolean;
}

const SCRIPT = /\.(c|m)?js$/;

/** Parse `argv` (after `launch`). */
export function parseLaunchArgs(argv: readonly string[], execPath = process.execPath): LaunchRequest {
  let np: number | undefined;
  let hostfile: string | undefined;
  let keepGoing = false;
  let dryRun = false;
  const env: string[] = [];
  let i = 0;
  const value = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const next = argv[++i];
    if (next === undefined) throw new UsageError(`launch: ${flag} needs a value`);
    return next;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-')) break;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    switch (flag) {
      case '-np':
      case '--np':
      case '-n': {
        const text = value(flag, inline);
        np = Number(text);
        if (!/^\d+$/.test(text) || np < 1) throw new UsageError(`launch: ${flag} must be a positive integer, got '${text}'`);
        break;
      }
      case '--hostfile':
        hostfile = value(flag, inline);
        break;
      case '-x':
      case '--env':
        env.push(value(flag, inline));
        break;
      case '--keep-going':
        keepGoing = true;
        break;
      case '--dry-run':
        dryRun = true;
        break;
      default:
        throw new UsageError(`launch: unknown option '${arg}' (options: -np N, --hostfile FILE, -x NAME, --keep-going, --dry-run)`);
    }
  }
  const program = argv.slice(i);
  if (np === undefined) throw new UsageError('launch: give the number of ranks: syncopate launch -np 4 train.js');
  if (program.length === 0) throw new UsageError('launch: give the program to run: syncopate launch -np 4 train.js [args]');
  const [first, ...rest] = program as [string, ...string[]];
  return {
    mpirun: { np, ...(hostfile !== undefined && { hostfile }), ...(env.length > 0 && { env }), ...(keepGoing && { keepGoingOnFailure: true }) },
    program: SCRIPT.test(first) ? [execPath, first, ...rest] : program,
    dryRun,
  };
}
