/**
 * MPI ranks run as separate `node` processes that import the compiled packages, so the MPI
 * tests need `dist/` of core, testing and this package, and the native addon. `nx run
 * @syncopate/transport-mpi:test:mpi` builds this package first; this check rebuilds any `dist/`
 * that is missing or older than its sources, so a plain `npx vitest run` cannot test stale code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ADDON_PATH, loadMpiBinding } from '../src/index.js';

const packages = join(import.meta.dirname, '..', '..');
const tsc = join(packages, '..', 'node_modules', 'typescript', 'bin', 'tsc');

function newest(dir: string): number {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) time = Math.max(time, newest(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) time = Math.max(time, statSync(path).mtimeMs);
  }
  return time;
}

/** Rebuilds stale packages; throws the loader's message when the addon is not built. */
export function ensureBuilt(): void {
  for (const name of ['core', 'testing', 'transport-mpi']) {
    const dir = join(packages, name);
    const stamp = join(dir, 'dist', '.tsbuildinfo');
    if (existsSync(stamp) && statSync(stamp).mtimeMs >= newest(join(dir, 'src'))) continue;
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.lib.json'], { cwd: dir, stdio: 'inherit' });
  }
  if (!existsSync(DEFAULT_ADDON_PATH)) loadMpiBinding();
}
