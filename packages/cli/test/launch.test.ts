import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt } from './ensure-built.js';
import { mpiAvailable, runBin, tempDir } from './helpers.js';

const dir = tempDir('launch');
const script = join(dir, 'rank.mjs');
beforeAll(() => {
  ensureCliBuilt();
  writeFileSync(
    script,
    [
      'const rank = Number(process.env.OMPI_COMM_WORLD_RANK);',
      'console.log(`rank ${rank} of ${process.env.OMPI_COMM_WORLD_SIZE}: ${process.argv.slice(2).join(" ")}`);',
      'if (process.argv.includes("--fail") && rank === 1) process.exit(3);',
    ].join('\n'),
  );
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('syncopate launch', () => {
  it('prints the mpirun command line it would run', () => {
    const { code, stdout } = runBin(['launch', '--dry-run', '-np', '3', '-x', 'SEED', script, '--epochs', '2']);
    expect(code).toBe(0);
    const root = process.getuid?.() === 0 ? '--allow-run-as-root ' : '';
    expect(stdout.trim()).toBe(`mpirun ${root}--oversubscribe --bind-to none -x SEED -np 3 ${process.execPath} ${script} --epochs 2`);
  });

  it('runs a script on N ranks with its arguments, and returns a failing rank\'s status', { skip: !mpiAvailable(), timeout: 60_000 }, () => {
    const ok = runBin(['launch', '-np', '2', script, '--epochs', '2']);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n').sort()).toEqual(['rank 0 of 2: --epochs 2', 'rank 1 of 2: --epochs 2']);
    const failing = runBin(['launch', '-np', '2', script, '--fail']);
    expect(failing.code).not.toBe(0);
  });

  it('says what to install when mpirun is missing', () => {
    const { code, stderr } = runBin(['launch', '-np', '2', script], { SYNCOPATE_MPIRUN: join(dir, 'no-such-mpirun') });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^syncopate: '.*no-such-mpirun' was not found: install Open MPI \(apt-get install -y openmpi-bin libopenmpi-dev\) or set SYNCOPATE_MPIRUN\n$/);
  });
});
