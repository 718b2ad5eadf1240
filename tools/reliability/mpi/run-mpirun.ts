/**
 * Runs `node <script> ...args` on `np` ranks under mpirun, collects its `SYNCOPATE_RESULT {json}`
 * lines, and kills the whole job after `timeoutMs`, so a reliability test never hangs.
 */
import { spawn } from 'node:child_process';
import { mpirunArgs } from '@syncopate/transport-mpi';

/** How one mpirun ended and what its ranks reported. */
export interface MpirunOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock time at which mpirun exited (Date.now()). */
  readonly endedAt: number;
  readonly results: Record<string, unknown>[];
}

export function runMpirun(np: number, script: string, args: readonly string[], options: { keepGoingOnFailure?: boolean; timeoutMs?: number } = {}): Promise<MpirunOutcome> {
  const argv = [...mpirunArgs({ np, keepGoingOnFailure: options.keepGoingOnFailure ?? false }), process.execPath, script, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn('mpirun', argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const results = stdout
        .split('\n')
        .filter((line) => line.startsWith('SYNCOPATE_RESULT '))
        .map((line) => JSON.parse(line.slice('SYNCOPATE_RESULT '.length)) as Record<string, unknown>);
      resolve({ code, signal, stdout, stderr, endedAt: Date.now(), results });
    });
  });
}
