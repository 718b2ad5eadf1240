import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runThreads } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { collectiveProperties } from './testing/index.js';

// The property suite again, on worker threads that really run in parallel over shared memory
// (the simulated network runs ranks one at a time). Workers load compiled JavaScript, so this
// uses the package's dist/ (nx builds it before `test`).
const entry = new URL('../dist/testing/run-properties.js', import.meta.url);

describe('on worker-thread ranks', () => {
  it.each([3, 4])('every property holds on %i threads', async (n) => {
    if (!existsSync(fileURLToPath(entry))) throw new Error(`build @syncopate/collectives first: ${fileURLToPath(entry)} is missing`);
    const results = await runThreads<string[], { seed: number }>({ ranks: n, module: entry, exportName: 'runCollectiveProperties', args: { seed: 7 + n }, timeoutMs: 60_000 });
    for (const passed of results) expect(passed).toEqual(collectiveProperties().map((p) => p.name));
  });
});
