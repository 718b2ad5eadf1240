/** Shared helpers of the command-level tests. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../src/main.js';
import { BIN } from './ensure-built.js';

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `syncopate-cli-${prefix}-`));
}

/** Write `config` as JSON into `dir` and return its path. */
export function writeConfig(dir: string, name: string, config: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** Run `syncopate <argv>` in this process, capturing what it prints. */
export async function runMain(argv: string[]): Promise<{ code: number; stdout: string }> {
  const chunks: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void chunks.push(`${args.join(' ')}\n`));
  try {
    const code = await main(argv);
    return { code, stdout: chunks.join('') };
  } finally {
    write.mockRestore();
    log.mockRestore();
  }
}

/** Run the compiled `syncopate` as a process. */
export function runBin(argv: string[], env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Whether Open MPI's mpirun and our MPI addon are installed (the MPI tests need both). */
export function mpiAvailable(): boolean {
  const mpirun = spawnSync('mpirun', ['--version'], { encoding: 'utf8' });
  return mpirun.status === 0 && existsSync(join(import.meta.dirname, '..', '..', 'transport-mpi', 'build', 'Release', 'syncopate_mpi.node'));
}

/** A least-squares run with a known optimum: 4 ranks × 8 steps of 16 per epoch. */
export const LEAST_SQUARES = {
  seed: 3,
  ranks: 4,
  data: { name: 'least-squares', samples: 512, features: 8, noise: 0.1, seed: 5 },
  optimizer: { name: 'momentum', lr: 0.05, momentum: 0.5 },
  batchSize: 16,
  epochs: 2,
  plugins: [{ name: 'localSgd', options: { period: 4 } }, { name: 'slowMo', options: { beta: 0.3 } }],
};
