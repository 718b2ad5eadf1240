/**
 * Issue #10 under mpirun, on the built packages: a rank SIGKILLed in the middle of training makes
 * every other rank exit non-zero within the deadline, with a message naming the lost rank; no
 * process of the job is left behind; every checkpoint on disk is whole; and a resumed job
 * continues with exactly the loss curve of a job that never crashed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '@syncopate/trainer';
import { runMpirun, type MpirunOutcome } from './run-mpirun.js';

const script = join(import.meta.dirname, 'train-rank.mjs');
const root = mkdtempSync(join(tmpdir(), 'syncopate-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const NP = 3;
const DEAD = 1;
const KILL_AFTER = 9; // checkpoints at 4 and 8; the job dies in step 10
const DEADLINE_MS = 60_000;

/** Processes still running a rank of the job whose scratch folder is `dir`. */
function survivors(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', dir], { encoding: 'utf8' }).trim().split('\n').filter((line) => line && !line.includes('pgrep'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

const steps = (run: MpirunOutcome, rank: number) =>
  run.results.filter((r) => r.event === 'step' && r.rank === rank).map((r) => [r.step, r.loss] as const);

describe('a rank killed under mpirun', () => {
  const dirs = { straight: join(root, 'straight'), crashed: join(root, 'crashed') };
  let straight: MpirunOutcome;
  let crashed: MpirunOutcome;

  it('the uninterrupted job completes on every rank', async () => {
    for (const dir of Object.values(dirs)) execFileSync('mkdir', ['-p', dir]);
    straight = await runMpirun(NP, script, [dirs.straight, '-1', '-1', String(DEADLINE_MS)]);
    expect(straight.code, straight.stderr).toBe(0);
    expect(straight.results.filter((r) => r.event === 'done')).toHaveLength(NP);
  });

  it('every other rank exits non-zero within the deadline, naming the lost rank; no orphan; checkpoints whole', async () => {
    crashed = await runMpirun(NP, script, [dirs.crashed, String(DEAD), String(KILL_AFTER), String(DEADLINE_MS)], { keepGoingOnFailure: true, timeoutMs: DEADLINE_MS + 30_000 });
    const killed = crashed.results.find((r) => r.event === 'killed')!;
    expect(killed).toMatchObject({ rank: DEAD, step: KILL_AFTER });
    const errors = crashed.results.filter((r) => r.event === 'error');
    expect(errors.map((e) => e.rank).sort()).toEqual([0, 1, 2].filter((r) => r !== DEAD));
    for (const error of errors) {
      expect(error.code).toBe('RANK_LOST');
      expect(error.message).toMatch(new RegExp(`^rank ${DEAD} was lost: .*its process exited \\(pid \\d+ on .+ is gone\\)$`));
      expect((error.at as number) - (killed.at as number)).toBeLessThan(DEADLINE_MS);
    }
    const detectMs = errors.map((e) => (e.at as number) - (killed.at as number));
    const exitMs = crashed.endedAt - (killed.at as number);
    console.log(`kill-rank: survivors reported RankLostError ${detectMs.join(', ')} ms after the kill; mpirun exited ${exitMs} ms after it with code ${crashed.code}`);
    expect(crashed.code).not.toBe(0);
    expect(exitMs).toBeLessThan(DEADLINE_MS);
    expect(crashed.stderr).toMatch(new RegExp(`rank ${DEAD} was lost`));
    expect(survivors(dirs.crashed)).toEqual([]);
    // Every checkpoint on disk reads back whole (CRC-checked); none from after the crash.
    const files = readdirSync(dirs.crashed).filter((f) => f.endsWith('.ckpt'));
    expect(files.sort()).toEqual(['rank-0-step-4.ckpt', 'rank-0-step-8.ckpt', 'rank-1-step-4.ckpt', 'rank-1-step-8.ckpt', 'rank-2-step-4.ckpt', 'rank-2-step-8.ckpt']);
    for (const file of files) expect(readCheckpoint(join(dirs.crashed, file)).format).toBe('syncopate-trainer/1');
    expect(readdirSync(dirs.crashed).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a resumed job continues with the identical loss curve and ends with identical parameters', async () => {
    const resumed = await runMpirun(NP, script, [dirs.crashed, '-1', '-1', String(DEADLINE_MS), 'resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.results.filter((r) => r.event === 'restored').map((r) => r.step)).toEqual([8, 8, 8]);
    for (let rank = 0; rank < NP; rank++) {
      const expected = steps(straight, rank).filter(([step]) => (step as number) >= 8);
      expect(expected.length).toBeGreaterThan(8);
      expect(steps(resumed, rank)).toEqual(expected);
    }
    const done = (run: MpirunOutcome) => run.results.filter((r) => r.event === 'done').sort((a, b) => (a.rank as number) - (b.rank as number)).map((r) => r.parameters);
    expect(done(resumed)).toEqual(done(straight));
    expect(survivors(dirs.crashed)).toEqual([]);
  });

  it("with mpirun's default settings the job ends at once and mpirun names the dead rank", async () => {
    const dir = join(root, 'default');
    execFileSync('mkdir', ['-p', dir]);
    const started = Date.now();
    const run = await runMpirun(NP, script, [dir, String(DEAD), '2', String(DEADLINE_MS)], { timeoutMs: DEADLINE_MS + 30_000 });
    expect(run.code).not.toBe(0);
    expect(run.stderr + run.stdout).toMatch(new RegExp(`rank ${DEAD} (with PID \\d+ on node \\S+ exited on signal 9|was lost)`));
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS);
    expect(survivors(dir)).toEqual([]);
  });
});
