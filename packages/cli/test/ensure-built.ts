/**
 * Worker threads and `mpirun` ranks run compiled JavaScript, so tests that start them need this
 * package's `dist/`. `nx run @syncopate/cli:test` builds it first; this keeps a plain
 * `npx vitest run` honest by rebuilding it when it is older than the sources. (The other
 * packages' `dist/` come from `tools/setup.sh`.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const packageDir = join(import.meta.dirname, '..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Rebuilds `packages/cli/dist` when it is missing or older than `src/`. */
export function ensureCliBuilt(): void {
  const stamp = join(packageDir, 'dist', '.tsbuildinfo');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource(join(packageDir, 'src'))) return;
  execFileSync(process.execPath, [join(packageDir, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.lib.json'], { cwd: packageDir, stdio: 'inherit' });
}

/** The compiled command, for tests that run it as a process. */
export const BIN = join(packageDir, 'dist', 'bin.js');
