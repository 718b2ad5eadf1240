/**
 * Resume after a crash on the local (simulated) transport: the run checkpoints every few steps,
 * one rank dies between two checkpoints, every other rank stops with an error naming it, and a
 * fresh set of trainers restored from the last checkpoints finishes the run with parameters and
 * a loss curve bit-identical to a run that never crashed — for compositions holding every kind of
 * state (error-feedback memory, anchors, slow and base momentum, adaptive periods, push-sum
 * weights, RNG counters, in-flight exchanges).
 */
import type { StepEvent, TrainableModel } from '@syncopate/core';
import { errorFeedback, powerSgd, qsgd, topK } from '@syncopate/compression';
import { neighbourAverage, pushSum } from '@syncopate/collectives';
import { lookahead, slowMo } from '@syncopate/momentum';
import { adaptivePeriod, bsp, decentralizedSgd, localSgd, overlapLocalSgd, stochasticGradientPush } from '@syncopate/sync-policy';
import { exponentialGraph, ring } from '@syncopate/topology';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
  it.each(compositions)('$name: continues bit-identically from the last checkpoint', async ({ name, options }) => {
    // One file per rank and step: between synchronisations a rank can run ahead of a dead peer
    // and checkpoint a later step than it, so a resume picks the newest step every rank saved.
    const path = (rank: number, step: number) => join(dir, `${name.replace(/\W+/g, '-')}-rank-${rank}-step-${step}.ckpt`);
    const uninterrupted = await onRanks(RANKS, problem, options, (t) => t.fit({ epochs: EPOCHS }));

    const crash = await failureOf(
      onRanks(RANKS, problem, (rank) => ({ ...options(), model: dying(rank) }), async (t) => {
        for (let stop = EVERY; ; stop += EVERY) {
          const result = await t.fit({ epochs: EPOCHS, stopAtStep: stop });
          if (result.completed) return result;
          await t.save(path(t.rank, stop));
        }
      }),
    );
    expect(crash.message).toMatch(new RegExp(`rank ${DEAD}|killed`));

    const saved = (rank: number) => readdirSync(dir).filter((f) => f.startsWith(path(rank, 0).split('/').at(-1)!.replace(/0\.ckpt$/, ''))).map((f) => Number(/step-(\d+)/.exec(f)![1]));
    const newestCommon = Math.min(...Array.from({ length: RANKS }, (_, rank) => Math.max(...saved(rank))));
    expect(newestCommon).toBe(10);
    const resumed = await onRanks(RANKS, problem, options, async (t) => {
      await t.restore(path(t.rank, newestCommon));
      expect(t.step).toBe(10);
      return t.fit({ epochs: EPOCHS });
    });
    for (let rank = 0; rank < RANKS; rank++) {
      expect(resumed[rank]!.parameters, `rank ${rank}`).toEqual(uninterrupted[rank]!.parameters);
      expect(losses(resumed[rank]!.events)).toEqual(losses(uninterrupted[rank]!.events).slice(10));
    }
    expect(resumed[0]!.result).toEqual(uninterrupted[0]!.result);
  });

  it('checkpoints of different steps on different ranks (local SGD): the collective-order check stops the run', async () => {
    const options = compositions[2]!.options;
    const path = (rank: number, step: number) => join(dir, `mixed-rank-${rank}-step-${step}.ckpt`);
    await onRanks(RANKS, problem, options, async (t) => {
      for (const stop of [5, 10]) {
        await t.fit({ epochs: EPOCHS, stopAtStep: stop });
        await t.save(path(t.rank, stop));
      }
    });
    const outcomes = await onRanks(RANKS, problem, options, async (t) => {
      await t.restore(path(t.rank, t.rank === 0 ? 10 : 5));
      return t.fit({ epochs: EPOCHS }).then(() => undefined, (error: unknown) => error as Error);
    });
    for (const o of outcomes) expect(o.result).toBeInstanceOf(Error);
  });

  // Known gap (docs/reliability.md): the start-up handshake compares compositions, not training
  // steps, so with BSP (same collective every step) ranks restored from different steps train on
  // silently. Flips to passing once the handshake includes the step.
  it.fails('checkpoints of different steps on different ranks (BSP): refused at start (known gap)', async () => {
    const options = compositions[1]!.options;
    const path = (rank: number, step: number) => join(dir, `mixed-bsp-rank-${rank}-step-${step}.ckpt`);
    await onRanks(RANKS, problem, options, async (t) => {
      for (const stop of [5, 10]) {
        await t.fit({ epochs: EPOCHS, stopAtStep: stop });
        await t.save(path(t.rank, stop));
      }
    });
    const outcomes = await onRanks(RANKS, problem, options, async (t) => {
      await t.restore(path(t.rank, t.rank === 0 ? 10 : 5));
      return t.fit({ epochs: EPOCHS }).then(() => undefined, (error: unknown) => error as Error);
    });
    for (const o of outcomes) expect(o.result).toBeInstanceOf(Error);
  });
});
