/**
 * Worker threads run compiled JavaScript, so the thread-mode contract needs the `dist/` of
 * core, transport-local and this package. `nx run @syncopate/testing:test` builds them first;
 * this check keeps a plain `npx vitest run` honest by rebuilding any that is older than its sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const packagesDir = join(import.meta.dirname, '..', '..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Rebuilds `packages/<name>/dist` when it is missing or older than `src/`. */
export function ensureBuilt(...names: string[]): void {
  for (const name of names) {
    const dir = join(packagesDir, name);
    const stamp = join(dir, 'dist', '.tsbuildinfo');
    if (existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource(join(dir, 'src'))) continue;
    execFileSync(process.execPath, [join(packagesDir, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.lib.json'], { cwd: dir, stdio: 'inherit' });
  }
}
