import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mpirunArgs, type MpirunOptions } from '../src/index.js';

/** What one `mpirun` printed and how it ended. */
export interface MpiRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** Every result the ranks reported (see mpi/report.mjs), parsed. */
  readonly results: Record<string, unknown>[];
}

/**
 * Runs `node script ...args` on `np` ranks under `mpirun` with the flags of {@link mpirunArgs}
 * and collects what it printed. Kills the job after `timeoutMs`: a test never hangs.
 */
export function runMpi(script: URL, args: readonly string[], options: Omit<MpirunOptions, 'np'> & { np: number; timeoutMs?: number }): Promise<MpiRun> {
  const { timeoutMs = 90_000, ...mpirun } = options;
  const argv = [...mpirunArgs(mpirun), process.execPath, script.pathname, ...args];
  const start = performance.now();
  const resultsDir = mkdtempSync(join(tmpdir(), 'syncopate-mpi-'));
  return new Promise((resolve, reject) => {
    const env = { ...process.env, FORCE_COLOR: '0', SYNCOPATE_RESULTS_DIR: resultsDir };
    const child = spawn('mpirun', argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const results = readdirSync(resultsDir)
        .flatMap((file) => readFileSync(join(resultsDir, file), 'utf8').split('\n'))
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      rmSync(resultsDir, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr, ms: performance.now() - start, results });
    });
  });
}
