import { OptionError } from '@syncopate/core';
import type { Command } from '../main.js';
import { UsageError } from '../cli-error.js';
import { mpirunCommand, mpirunCommandLine, runMpirun } from '../run/mpirun.js';
import { parseLaunchArgs } from './launch-args.js';

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `syncopate launch`: `mpirun` with the flags that work here. */
export const launchCommand: Command = {
  name: 'launch',
  summary: 'run a program on N MPI ranks (mpirun with the flags that work here)',
  usage: [
    'usage: syncopate launch -np N [--hostfile FILE] [-x NAME]... [--keep-going] [--dry-run] <program> [args...]',
    '',
    'Starts <program> on N ranks with Open MPI\'s mpirun, adding --allow-run-as-root (as root),',
    '--oversubscribe and --bind-to none. A .js/.mjs/.cjs program runs with this Node. The exit',
    'status is mpirun\'s. Set SYNCOPATE_MPIRUN to use another mpirun.',
    '',
    '  -np, -n N          number of ranks',
    '  --hostfile FILE    hosts to run on (several machines)',
    '  -x NAME            forward an environment variable to every rank (repeatable)',
    '  --keep-going       let the other ranks report a failed rank instead of being killed',
    '  --dry-run          print the mpirun command line and exit',
  ].join('\n'),
  async run(argv) {
    const request = parseLaunchArgs(argv);
    let args: string[];
    try {
      args = mpirunCommandLine(request.mpirun, request.program);
    } catch (error) {
      if (error instanceof OptionError) throw new UsageError(`launch: ${error.message}`);
      throw error;
    }
    if (request.dryRun) {
      console.log([mpirunCommand(), ...args].map(quote).join(' '));
      return 0;
    }
    return runMpirun(args);
  },
};
