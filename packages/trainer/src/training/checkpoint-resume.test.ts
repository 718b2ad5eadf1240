import { OptionError, StateError, type StepEvent } from '@syncopate/core';
import { errorFeedback, topK } from '@syncopate/compression';
import { slowMo } from '@syncopate/momentum';
import { localSgd } from '@syncopate/sync-policy';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointSeries } from '../checkpoint/checkpoint-series.js';
import { momentumSgd } from '../optimizers/momentum-sgd.js';
import { linearWarmup } from '../schedules/linear-warmup.js';
import { stepDecay } from '../schedules/step-decay.js';
import { failureOf, onRanks, smallProblem } from '../test-support/simulated-ranks.js';
import type { TrainerOptions } from './trainer-options.js';

const problem = smallProblem();
const dir = mkdtempSync(join(tmpdir(), 'syncopate-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every kind of state at once: EF memory, local-SGD anchor, slow momentum, base momentum, LR schedule. */
const composition = (): Partial<TrainerOptions> => ({
  plugins: [localSgd({ period: 3, stream: 'delta' }), topK({ ratio: 0.3 }), errorFeedback(), slowMo({ beta: 0.6, baseBuffer: 'keep' })],
  optimizer: momentumSgd({ momentum: 0.8 }),
  schedules: [linearWarmup({ steps: 5, from: 0.01 }), stepDecay({ boundaries: [1], factor: 0.5 })],
  seed: 11,
});
const path = (rank: number) => join(dir, `rank-${rank}.ckpt`);
const losses = (events: readonly unknown[]) => (events as StepEvent[]).filter((e) => e.type === 'step').map((e) => [e.step, e.loss, e.lr]);

describe('checkpoint and resume', () => {
  it('gives parameters bit-identical to an uninterrupted run (paused mid-epoch, between syncs)', async () => {
    const uninterrupted = await onRanks(4, problem, composition, (t) => t.fit({ epochs: 3 }));
    const firstHalf = await onRanks(4, problem, composition, async (t) => {
      const result = await t.fit({ epochs: 3, stopAtStep: 10 });
      await t.save(path(t.rank));
      return result;
    });
    expect(firstHalf[0]!.result).toMatchObject({ steps: 10, epochs: 1, completed: false });
    const resumed = await onRanks(4, problem, composition, async (t) => {
      await t.restore(path(t.rank));
      return t.fit({ epochs: 3 });
    });
    for (let rank = 0; rank < 4; rank++) {
      expect(resumed[rank]!.parameters).toEqual(uninterrupted[rank]!.parameters);
      expect(losses(resumed[rank]!.events)).toEqual(losses(uninterrupted[rank]!.events).slice(10));
    }
    expect(resumed[0]!.result).toEqual(uninterrupted[0]!.result);
  });

  it('refuses a checkpoint of another composition or rank, and a corrupted one', async () => {
    await onRanks(2, problem, composition, async (t) => {
      await t.fit({ epochs: 1, stopAtStep: 2 });
      await t.save(path(t.rank));
    });
    const otherComposition = await failureOf(
      onRanks(2, problem, () => ({ ...composition(), seed: 12 }), (t) => t.restore(path(t.rank))),
    );
    expect(otherComposition).toBeInstanceOf(StateError);
    expect(otherComposition.message).toMatch(/has compositionHash "[0-9a-f]{16}", this trainer has "[0-9a-f]{16}"/);
    const otherRank = await failureOf(onRanks(2, problem, composition, (t) => t.restore(path(1 - t.rank))));
    expect(otherRank.message).toMatch(/has rank [01], this trainer has [01]/);
    const bytes = readFileSync(path(0));
    bytes[100] ^= 0xff;
    writeFileSync(path(0), bytes);
    const corrupt = await failureOf(onRanks(2, problem, composition, (t) => t.restore(path(t.rank))));
    expect(corrupt.message).toMatch(/is corrupt: CRC-32/);
  });

  it('coordinated checkpoints refuse ranks making different calls, and a shared template without {rank}, on every rank', async () => {
    const series = new CheckpointSeries({ path: join(dir, 'calls', 'rank-{rank}-step-{step}.ckpt') });
    const outOfStep = await onRanks(2, problem, composition, async (t) => {
      await t.fit({ epochs: 1, stopAtStep: 2 });
      const call = t.rank === 0 ? t.saveCheckpoint(series) : t.resumeFrom(series);
      return call.then(() => undefined, (error: unknown) => error as Error);
    });
    for (const o of outOfStep) {
      expect(o.result).toBeInstanceOf(StateError);
      expect(o.result!.message).toBe('ranks are out of step: rank 0 is at checkpoint, rank 1 at resume (every rank must make the same calls)');
    }
    const shared = new CheckpointSeries({ path: join(dir, 'calls', 'step-{step}.ckpt') });
    const noRank = await failureOf(onRanks(2, problem, composition, (t) => t.saveCheckpoint(shared)));
    expect(noRank).toBeInstanceOf(OptionError);
    expect(noRank.message).toMatch(/option 'path' must hold '\{rank\}' when 2 ranks write checkpoints/);
  });
});
