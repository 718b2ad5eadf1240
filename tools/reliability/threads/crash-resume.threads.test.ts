/**
 * Resume after a crash on worker-thread ranks (transport-local's runThreads, real parallel
 * threads over shared memory), on the built packages: a rank whose thread ends abruptly makes the
 * run fail with an error naming it (no hang), and restarting every rank from the newest step all
 * of them checkpointed finishes with the loss curve and parameters of a run that never crashed,
 * bit for bit.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runThreads } from '@syncopate/transport-local';
import { afterAll, describe, expect, it } from 'vitest';

const module = new URL('./train-thread.mjs', import.meta.url);
const root = mkdtempSync(join(tmpdir(), 'syncopate-threads-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface RankResult {
  readonly steps: [number, number][];
  readonly parameters: number[];
}

const RANKS = 4;
const run = (dir: string, args: Record<string, unknown> = {}) =>
  runThreads<RankResult, Record<string, unknown>>({ ranks: RANKS, module, args: { dir, dieRank: -1, dieAfterStep: -1, resume: false, ...args }, timeoutMs: 60_000 });

describe('crash and resume on worker-thread ranks', () => {
  it('a thread that dies fails the run naming its rank; the resumed run is bit-identical', async () => {
    const straightDir = join(root, 'straight');
    const crashedDir = join(root, 'crashed');
    mkdirSync(straightDir);
    mkdirSync(crashedDir);
    const straight = await run(straightDir);

    const failure = await run(crashedDir, { dieRank: 2, dieAfterStep: 12 }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.name).toBe('TransportError');
    expect(failure?.message).toMatch(/rank 2/);
    expect(failure?.message).toMatch(/exited/);
    const saved = readdirSync(crashedDir).filter((f) => f.endsWith('.ckpt'));
    expect(saved).toContain('rank-2-step-10.ckpt');
    expect(saved).not.toContain('rank-2-step-15.ckpt');

    const resumed = await run(crashedDir, { resume: true });
    for (let rank = 0; rank < RANKS; rank++) {
      expect(resumed[rank]!.steps[0]![0]).toBe(10);
      expect(resumed[rank]!.steps).toEqual(straight[rank]!.steps.filter(([step]) => step >= 10));
      expect(resumed[rank]!.parameters).toEqual(straight[rank]!.parameters);
    }
  });
});
