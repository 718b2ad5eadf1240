#!/usr/bin/env node
// @ts-check
/**
 * Regenerate docs/compatibility.md: runs the composition matrix test of @syncopate/trainer
 * (packages/trainer/test/composition/matrix.test.ts) with SYNCOPATE_WRITE_COMPATIBILITY=1, which
 * makes it write the file (rendered by render.mjs) instead of comparing against it. The same test,
 * run normally, fails when the committed file is out of date.
 *
 *   node tools/compatibility/generate.mjs
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const result = spawnSync('npx', ['vitest', 'run', 'test/composition/matrix.test.ts'], {
  cwd: join(root, 'packages', 'trainer'),
  env: { ...process.env, SYNCOPATE_WRITE_COMPATIBILITY: '1' },
  stdio: 'inherit',
});
if (result.error) throw result.error;
if (result.status === 0) console.log(`wrote ${join(root, 'docs', 'compatibility.md')}`);
else console.error('the matrix test failed; docs/compatibility.md shows the failing combinations as ‼ failed');
process.exit(result.status ?? 1);
