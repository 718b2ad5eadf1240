/**
 * The transport contract in both local modes of @syncopate/transport-local, with 1, 2, 3, 4 and
 * 7 ranks. The thread mode runs every rank in a worker thread (fixtures/transport-contract-rank.mjs).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runSimulated, runThreads } from '@syncopate/transport-local';
import { beforeAll, describe, it } from 'vitest';
import { describeTransportContract } from './describe-transport-contract.js';
import { runTransportContract, type TransportContractReport } from './transport-contract.js';

const RANKS = [1, 2, 3, 4, 7];
const packagesDir = join(import.meta.dirname, '..', '..', '..');

/**
 * Worker threads run compiled JavaScript: the thread mode needs the dist/ of core,
 * transport-local and this package. `nx run @syncopate/testing:test` builds them first; this keeps
 * a plain `npx vitest run` honest by rebuilding any dist older than its sources.
 */
function ensureBuilt(...names: string[]): void {
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : e.name.endsWith('.test.ts') ? 0 : statSync(join(dir, e.name)).mtimeMs)));
  for (const name of names) {
    const dir = join(packagesDir, name);
    const stamp = join(dir, 'dist', '.tsbuildinfo');
    if (existsSync(stamp) && statSync(stamp).mtimeMs >= newest(join(dir, 'src'))) continue;
    execFileSync(process.execPath, [join(packagesDir, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.lib.json'], { cwd: dir, stdio: 'inherit' });
  }
}

beforeAll(() => ensureBuilt('core', 'transport-local', 'testing'), 120_000);

describeTransportContract(
  { describe, it, beforeAll },
  {
    name: 'local-simulated',
    ranks: RANKS,
    run: async (size) => (await runSimulated({ ranks: size, latencyMs: 0.05, bandwidthGbps: 10 }, (t) => runTransportContract(t))).results,
  },
);

describeTransportContract(
  { describe, it, beforeAll },
  {
    name: 'local-threads',
    ranks: RANKS,
    run: (size) =>
      runThreads<TransportContractReport>({
        ranks: size,
        module: new URL('./fixtures/transport-contract-rank.mjs', import.meta.url),
        exportName: 'contract',
        args: { timeoutMs: 10_000 },
        timeoutMs: 60_000,
      }),
  },
);
