/**
 * Starting programs under Open MPI's `mpirun` with the flags that work on this kind of machine,
 * built by `@syncopate/transport-mpi`'s `mpirunArgs` (root, oversubscription, no binding).
 */
import { spawn } from 'node:child_process';
import { TransportError } from '@syncopate/core';
import { mpirunArgs, type MpirunOptions } from '@syncopate/transport-mpi';

/** The `mpirun` executable: `$SYNCOPATE_MPIRUN`, else `mpirun` on the PATH. */
export function mpirunCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.SYNCOPATE_MPIRUN || 'mpirun';
}

/** Whether this process is a rank started by Open MPI's `mpirun`. */
export function underMpirun(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.OMPI_COMM_WORLD_SIZE !== undefined;
}

/** The full `mpirun` argument list: launch flags, then the program and its arguments. */
export function mpirunCommandLine(options: MpirunOptions, program: readonly string[]): string[] {
  return [...mpirunArgs(options), ...program];
}

/**
 * Run `mpirun` with `args`, output inherited; resolves with its exit status (128 + signal number
 * when it was killed). A missing `mpirun` is a `TransportError` saying what to install.
 */
export function runMpirun(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const command = mpirunCommand(env);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new TransportError(`'${command}' was not found: install Open MPI (apt-get install -y openmpi-bin libopenmpi-dev) or set SYNCOPATE_MPIRUN`)
          : new TransportError(`could not start '${command}': ${error.message}`, [], { cause: error }),
      );
    });
    child.on('exit', (code, signal) => {
      const signals: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
      resolve(code ?? 128 + (signal ? (signals[signal] ?? 1) : 1));
    });
  });
}
