/**
 * Resume after a crash on the local (simulated) transport: the run checkpoints every few steps,
 * one rank dies between two checkpoints, every other rank stops with an error naming it, and a
 * fresh set of trainers restored from the last checkpoints finishes the run with parameters and
 * a loss curve bit-identical to a run that never crashed — for compositions holding every kind of
 * state (error-feedback memory, anchors, slow and base momentum, adaptive periods, push-sum
 * weights, RNG counters, in-flight exchanges).
 */
import { StateError, type StepEvent, type TrainableModel } from '@syncopate/core';
import { errorFeedback, powerSgd, qsgd, topK } from '@syncopate/compression';
import { neighbourAverage, pushSum } from '@syncopate/collectives';
import { lookahead, slowMo } from '@syncopate/momentum';
import { adaptivePeriod, bsp, decentralizedSgd, localSgd, overlapLocalSgd, stochasticGradientPush } from '@syncopate/sync-policy';
import { exponentialGraph, ring } from '@syncopate/topology';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointSeries } from '../../src/checkpoint/checkpoint-series.js';
import { adam } from '../../src/optimizers/adam.js';
import { momentumSgd } from '../../src/optimizers/momentum-sgd.js';
import { nesterovSgd } from '../../src/optimizers/nesterov-sgd.js';
import { failureOf, onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';
import type { TrainerOptions } from '../../src/training/trainer-options.js';

const problem = smallProblem();
const dir = mkdtempSync(join(tmpdir(), 'syncopate-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RANKS = 4;
const EPOCHS = 2; // 16 steps of 8 batches
const EVERY = 5; // checkpoint every 5 steps
const CRASH_AT = 13; // rank 2 dies computing step 13: the last checkpoint is step 10
const DEAD = 2;

const compositions: readonly { name: string; options: () => Partial<TrainerOptions> }[] = [
  { name: 'localSgd + topK + errorFeedback + slowMo, momentum', options: () => ({ plugins: [localSgd({ period: 3 }), topK({ ratio: 0.3 }), errorFeedback(), slowMo({ beta: 0.6 })], optimizer: momentumSgd({ momentum: 0.8 }) }) },
  { name: 'bsp + powerSgd + errorFeedback, Nesterov', options: () => ({ plugins: [bsp(), powerSgd({ rank: 1 }), errorFeedback()], optimizer: nesterovSgd({ momentum: 0.9 }) }) },
  { name: 'adaptivePeriod + qsgd (random rounding), Adam', options: () => ({ plugins: [adaptivePeriod(), qsgd()], optimizer: adam(), lr: 0.01 }) },
  { name: 'decentralizedSgd on a ring', options: () => ({ plugins: [ring(), neighbourAverage(), decentralizedSgd()] }) },
  { name: 'stochasticGradientPush on the exponential graph', options: () => ({ plugins: [exponentialGraph(), pushSum(), stochasticGradientPush()] }) },
  { name: 'overlapLocalSgd (exchange in flight) + lookahead', options: () => ({ plugins: [overlapLocalSgd({ period: 2 }), lookahead()] }) },
];

/** The problem's model, throwing on rank `DEAD` when it computes step `CRASH_AT` (a dead process, as far as the others can tell). */
function dying(rank: number): TrainableModel {
  const model = problem.createModel();
  let step = 0;
  return {
    layout: model.layout,
    readParameters: (into) => model.readParameters(into),
    writeParameters: (from) => model.writeParameters(from),
    evaluate: (batch) => model.evaluate(batch),
    computeGradients: async (batch, gradients) => {
      if (rank === DEAD && step === CRASH_AT) throw new Error('killed');
      step++;
      return model.computeGradients(batch, gradients);
    },
  };
}

const losses = (events: readonly unknown[]) => (events as StepEvent[]).filter((e) => e.type === 'step').map((e) => [e.step, e.loss]);

describe('resume after a crash, on the simulated network', () => {
  it.each(compositions)('$name: continues bit-identically from the newest step every rank checkpointed', async ({ name, options }) => {
    // Coordinated checkpoints, one file per rank and step: between synchronisations a rank can
    // run ahead of a dead peer and write a later step than it, so the resume agrees on the newest
    // step every rank holds intact.
    const series = new CheckpointSeries({ path: join(dir, `${name.replace(/\W+/g, '-')}-rank-{rank}-step-{step}.ckpt`), keep: 1 });
    const uninterrupted = await onRanks(RANKS, problem, options, (t) => t.fit({ epochs: EPOCHS }));

    const crash = await failureOf(
      onRanks(RANKS, problem, (rank) => ({ ...options(), model: dying(rank) }), async (t) => {
        for (let stop = EVERY; ; stop += EVERY) {
          const result = await t.fit({ epochs: EPOCHS, stopAtStep: stop });
          if (result.completed) return result;
          await t.saveCheckpoint(series);
        }
      }),
    );
    expect(crash.message).toMatch(new RegExp(`rank ${DEAD}|killed`));
    // keep: 1 — once every rank held step 10, step 5 was pruned; a rank that ran ahead may hold 15.
    for (let rank = 0; rank < RANKS; rank++) expect(series.steps(rank).filter((s) => s !== 15)).toEqual([10]);

    const resumed = await onRanks(RANKS, problem, options, async (t) => {
      expect(await t.resumeFrom(series)).toBe(10);
      expect(t.step).toBe(10);
      return t.fit({ epochs: EPOCHS });
    });
    for (let rank = 0; rank < RANKS; rank++) {
      expect(resumed[rank]!.parameters, `rank ${rank}`).toEqual(uninterrupted[rank]!.parameters);
      expect(losses(resumed[rank]!.events)).toEqual(losses(uninterrupted[rank]!.events).slice(10));
      expect(series.steps(rank)).toEqual([10]); // a later step of the crashed run is gone
    }
    expect(resumed[0]!.result).toEqual(uninterrupted[0]!.result);
  });

  it('rank 0 saved step 15, rank 1 only step 10: every rank resumes from 10 and continues bit-identically', async () => {
    const options = compositions[1]!.options; // BSP: nothing else would notice the mixed steps
    const series = new CheckpointSeries({ path: join(dir, 'ahead', 'rank-{rank}-step-{step}.ckpt') });
    const uninterrupted = await onRanks(2, problem, options, (t) => t.fit({ epochs: EPOCHS }));
    await onRanks(2, problem, options, async (t) => {
      for (const stop of [5, 10]) {
        await t.fit({ epochs: EPOCHS, stopAtStep: stop });
        await t.saveCheckpoint(series);
      }
      await t.fit({ epochs: EPOCHS, stopAtStep: 15 });
      if (t.rank === 0) await t.save(series.path(0, 15)); // rank 1 died before writing step 15
    });
    expect([series.steps(0), series.steps(1)]).toEqual([[5, 10, 15], [5, 10]]);
    const resumed = await onRanks(2, problem, options, async (t) => {
      const step = await t.resumeFrom(series);
      return { step, result: await t.fit({ epochs: EPOCHS }) };
    });
    for (let rank = 0; rank < 2; rank++) {
      expect(resumed[rank]!.result.step).toBe(10);
      expect(resumed[rank]!.parameters, `rank ${rank}`).toEqual(uninterrupted[rank]!.parameters);
      expect(losses(resumed[rank]!.events)).toEqual(losses(uninterrupted[rank]!.events).slice(10));
    }
    expect([series.steps(0), series.steps(1)]).toEqual([[5, 10], [5, 10]]);
  });

  it('a damaged newest file falls back to the newest step intact everywhere; none in common, or only files of another run, is refused, naming each rank', async () => {
    const options = compositions[1]!.options;
    const series = new CheckpointSeries({ path: join(dir, 'damaged', 'rank-{rank}-step-{step}.ckpt'), keep: 3 });
    await onRanks(2, problem, options, async (t) => {
      for (const stop of [5, 10]) {
        await t.fit({ epochs: EPOCHS, stopAtStep: stop });
        await t.saveCheckpoint(series);
      }
    });
    const bytes = readFileSync(series.path(1, 10));
    bytes[bytes.length >> 1] ^= 0x40;
    writeFileSync(series.path(1, 10), bytes);
    const fallback = await onRanks(2, problem, options, (t) => t.resumeFrom(series));
    expect(fallback.map((o) => o.result)).toEqual([5, 5]);
    expect([series.steps(0), series.steps(1)]).toEqual([[5], [5]]); // later files of either rank removed
    rmSync(series.path(1, 5));
    const refused = await onRanks(2, problem, options, (t) => t.resumeFrom(series).then(() => undefined, (error: unknown) => error as Error));
    for (const o of refused) {
      expect(o.result).toBeInstanceOf(StateError);
      expect(o.result!.message).toBe('no checkpointed step is intact on every rank (rank 0: 5; rank 1: none); cannot resume together');
    }
    const fresh = await onRanks(2, problem, options, (t) => t.resumeFrom(new CheckpointSeries({ path: join(dir, 'none', 'rank-{rank}-step-{step}.ckpt') })));
    expect(fresh.map((o) => o.result)).toEqual([undefined, undefined]);
    // Files of another run (another seed: another composition hash) are no fresh start either.
    const foreign = new CheckpointSeries({ path: join(dir, 'foreign', 'rank-{rank}-step-{step}.ckpt') });
    await onRanks(2, problem, () => ({ ...options(), seed: 99 }), async (t) => {
      await t.fit({ epochs: EPOCHS, stopAtStep: 5 });
      await t.saveCheckpoint(foreign);
    });
    const other = await onRanks(2, problem, options, (t) => t.resumeFrom(foreign).then(() => undefined, (error: unknown) => error as Error));
    expect(other[0]!.result!.message).toBe(
      'no checkpointed step is intact on every rank (rank 0: none (1 file unreadable, damaged or of another run); rank 1: none (1 file unreadable, damaged or of another run)); cannot resume together',
    );
  });

  // Before the position check, BSP (the same collective every step) trained on silently from
  // mixed steps; local SGD stopped only at the first exchange, by the collective-order check.
  it.each([
    { policy: 'local SGD', index: 2 },
    { policy: 'BSP', index: 1 },
  ])('checkpoints of different steps on different ranks ($policy): refused at restore, on every rank, naming ranks and steps', async ({ policy, index }) => {
    const options = compositions[index]!.options;
    const path = (rank: number, step: number) => join(dir, `mixed-${index}-rank-${rank}-step-${step}.ckpt`);
    await onRanks(RANKS, problem, options, async (t) => {
      for (const stop of [5, 10]) {
        await t.fit({ epochs: EPOCHS, stopAtStep: stop });
        await t.save(path(t.rank, stop));
      }
    });
    const outcomes = await onRanks(RANKS, problem, options, async (t) => {
      const error = await t.restore(path(t.rank, t.rank === 0 ? 10 : 5)).then(() => undefined, (e: unknown) => e as Error);
      return { error, step: t.step };
    });
    for (const o of outcomes) {
      expect(o.result.error, policy).toBeInstanceOf(StateError);
      expect(o.result.error!.message).toBe(
        'ranks restored checkpoints of different training positions: rank 0 at step 10 (epoch 1, batch 2); ranks 1, 2, 3 at step 5 (epoch 0, batch 5) (every rank must resume from the same step)',
      );
      expect(o.result.step).toBe(0); // nothing restored
    }
  });
});
