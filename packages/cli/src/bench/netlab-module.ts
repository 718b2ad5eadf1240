/**
 * Finding and loading the repository's network lab (`tools/netlab/netlab.mjs`, docs/netlab.md):
 * namespaces on a shaped bridge, one MPI rank per namespace, always torn down. It is a script of
 * the repository, not a package, so it is looked up at run time.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../cli-error.js';

/** What `syncopate bench` uses of a lab (a subset of netlab.d.mts's `NetlabLab`). */
export interface BenchLab {
  readonly name: string;
  readonly hosts: readonly { readonly index: number; readonly name: string; readonly address: string }[];
  exec(host: number, argv: readonly string[], options?: { timeoutS?: number; check?: boolean }): Promise<{ code: number; stdout: string; stderr: string }>;
  mpirun(
    argv: readonly string[],
    options?: { np?: number; timeoutS?: number; check?: boolean; inherit?: boolean; env?: Record<string, string> },
  ): Promise<{ code: number; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** What `syncopate bench` uses of netlab.mjs. */
export interface NetlabModule {
  withNetlab<T>(options: { hosts: number; rate?: string; delayMs?: number; timeoutS?: number }, body: (lab: BenchLab) => Promise<T>): Promise<T>;
  netlabUnavailableReason(needs?: { mpirun?: boolean; delay?: boolean }): string | undefined;
}

const RELATIVE = join('tools', 'netlab', 'netlab.mjs');

function upwards(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, RELATIVE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Path of netlab.mjs: `$SYNCOPATE_NETLAB` (the file or its folder), else the first
 * `tools/netlab/netlab.mjs` above the working directory or above this package.
 */
export function findNetlab(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const given = env.SYNCOPATE_NETLAB;
  if (given) {
    const file = existsSync(given) && statSync(given).isDirectory() ? join(given, 'netlab.mjs') : given;
    if (!existsSync(file)) throw new UsageError(`bench: SYNCOPATE_NETLAB names '${given}', which holds no netlab.mjs`);
    return resolve(file);
  }
  const found = upwards(cwd) ?? upwards(dirname(fileURLToPath(import.meta.url)));
  if (!found) throw new UsageError(`bench: the network lab (${RELATIVE}) was not found above ${cwd}: run from a Syncopate checkout or set SYNCOPATE_NETLAB`);
  return found;
}

/** Load netlab.mjs (see {@link findNetlab}). */
export async function loadNetlab(path = findNetlab()): Promise<NetlabModule> {
  return (await import(pathToFileURL(path).href)) as NetlabModule;
}
