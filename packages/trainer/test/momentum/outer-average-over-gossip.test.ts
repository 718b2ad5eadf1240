/**
 * Outer optimizers over gossip, end to end on 4 simulated ranks: SlowMo and BMUF over SGP and
 * D-PSGD, which never average exactly, take the exact average themselves every τ steps (the
 * SlowMo paper's SGP-SlowMo). Checked against a hand-written reference of the base algorithm on
 * the ring followed by an exact average every τ steps (SlowMo with α = 1, β = 0 and BMUF with
 * η = 0, ζ = 1 are exactly that), at every gradient computation of every rank; with β > 0 the
 * ranks are equal right after each outer step and apart in between; and the policies that give
 * neither an exact average nor a restart are refused in createTrainer, naming both plugins.
 */
import { neighbourAverage, pushSum } from '@syncopate/collectives';
import { Capabilities, CompositionError, type PluginSpec } from '@syncopate/core';
import { blockwiseModelUpdateFiltering, doubleAveraging, slowMo } from '@syncopate/momentum';
import {
  asynchronousParameterServer,
  backupWorkers,
  decentralizedSgd,
  hierarchicalParallelSgd,
  localSgd,
  overlapLocalSgd,
  staleSynchronous,
  stochasticGradientPush,
} from '@syncopate/sync-policy';
import { ring, star } from '@syncopate/topology';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { momentumSgd, readCheckpoint } from '../../src/index.js';
import { failureOf, onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';
import { onNetwork, stepEvents, type ComputeRecord } from '../policies/support.js';

const problem = smallProblem();
const ranks = 4;
const lr = 0.05;
const period = 3;
const epochs = 2; // 16 steps: outer steps after steps 2, 5, 8, 11 and 14
const dir = mkdtempSync(join(tmpdir(), 'syncopate-outer-average-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ring's mixing on 4 ranks: weight 1/3 to itself and to each neighbour (symmetric, so push-sum weights stay 1). */
function mix(x: readonly Float32Array[]): Float32Array[] {
  return x.map((_, i) => x[i]!.map((_, k) => (x[(i + ranks - 1) % ranks]![k]! + x[i]![k]! + x[(i + 1) % ranks]![k]!) / 3));
}

function mean(x: readonly Float32Array[]): Float32Array {
  return x[0]!.map((_, k) => x.reduce((sum, xi) => sum + xi[k]!, 0) / ranks);
}

/**
 * The base algorithm on the ring with plain SGD, followed by an exact average after every step t
 * with (t + 1) mod τ = 0: D-PSGD x ← W·x + u(x); SGP x ← W·(x + u(x)). Returns the parameters
 * every rank computes its gradient at, per step, and the final (exactly averaged) model.
 */
async function reference(base: 'decentralizedSgd' | 'stochasticGradientPush'): Promise<{ at: Float32Array[][]; final: Float32Array }> {
  const models = Array.from({ length: ranks }, () => problem.createModel());
  const n = problem.layout.totalLength;
  let x: Float32Array[] = models.map(() => new Float32Array(n));
  const grad = new Float32Array(n);
  const at: Float32Array[][] = [];
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const batches = models.map((_, rank) =>
      problem.dataset.trainBatches(epoch, { rank, size: ranks, batchSize: 8, seed: 0, shuffle: 'global', dropLast: true })[Symbol.iterator](),
    );
    for (let b = 0; b < 8; b++, step++) {
      at.push(x.map((xi) => xi.slice()));
      const updates: Float32Array[] = [];
      for (let rank = 0; rank < ranks; rank++) {
        models[rank]!.writeParameters(x[rank]!);
        await models[rank]!.computeGradients(batches[rank]!.next().value!, grad);
        updates.push(grad.map((g) => -lr * g));
      }
      x = base === 'decentralizedSgd' ? mix(x).map((xi, i) => xi.map((v, k) => v + updates[i]![k]!)) : mix(x.map((xi, i) => xi.map((v, k) => v + updates[i]![k]!)));
      if ((step + 1) % period === 0) x = x.map(() => mean(x));
    }
  }
  return { at, final: mean(x) };
}

/** Run `plugins` on the ring and record where every rank computed each gradient. */
async function run(plugins: () => PluginSpec[], optimizer = momentumSgd({ momentum: 0 })) {
  const records: ComputeRecord[] = [];
  const { outcomes } = await onNetwork({ network: { ranks }, onCompute: (r) => records.push(r) }, problem, () => ({ plugins: plugins(), optimizer, lr }), (t) => t.fit({ epochs }));
  const at = (rank: number, step: number) => records.find((r) => r.rank === rank && r.step === step)!.parameters;
  return { outcomes, at, steps: records.length / ranks };
}

const gossip = {
  stochasticGradientPush: () => [ring(), pushSum(), stochasticGradientPush()],
  decentralizedSgd: () => [ring(), neighbourAverage(), decentralizedSgd()],
} as const;

describe('outer optimizers over gossip take the exact average themselves every τ steps', () => {
  for (const base of ['stochasticGradientPush', 'decentralizedSgd'] as const) {
    for (const [label, outer] of [
      ['slowMo α = 1, β = 0', () => slowMo({ alpha: 1, beta: 0, period })],
      ['BMUF η = 0, ζ = 1', () => blockwiseModelUpdateFiltering({ blockMomentum: 0, blockLr: 1, period })],
    ] as const) {
      it(`${label} over ${base} is ${base} followed by an exact average every τ steps`, async () => {
        const expected = await reference(base);
        const { outcomes, at, steps } = await run(() => [...gossip[base](), outer()]);
        expect(steps).toBe(expected.at.length);
        for (let step = 0; step < steps; step++) {
          for (let rank = 0; rank < ranks; rank++) at(rank, step).forEach((v, k) => expect(v, `rank ${rank} step ${step}`).toBeCloseTo(expected.at[step]![rank]![k]!, 5));
        }
        for (const o of outcomes) o.parameters.forEach((v, k) => expect(v).toBeCloseTo(expected.final[k]!, 5));
        const synced = stepEvents(outcomes[0]!.events).filter((e) => e.synced).map((e) => e.step);
        expect(synced).toEqual([2, 5, 8, 11, 14]);
      });
    }

    it(`slowMo β = 0.6 over ${base}: every rank is equal right after each outer step, apart in between, and the run differs from β = 0`, async () => {
      const { at, steps, outcomes } = await run(() => [...gossip[base](), slowMo({ beta: 0.6, period })]);
      for (let step = 1; step < steps; step++) {
        const equal = [1, 2, 3].every((rank) => at(rank, step).every((v, k) => v === at(0, step)[k]));
        expect(equal, `step ${step}`).toBe(step % period === 0);
      }
      const plain = await run(() => [...gossip[base](), slowMo({ beta: 0, period })]);
      expect(Math.max(...outcomes[0]!.parameters.map((v, k) => Math.abs(v - plain.outcomes[0]!.parameters[k]!)))).toBeGreaterThan(1e-4);
    });
  }

  it("applies slowMo's base-buffer policy at its own outer steps (reset zeroes the momentum there, keep does not)", async () => {
    const velocityAfter = async (baseBuffer: 'reset' | 'keep') => {
      const outcomes = await onRanks(ranks, problem, () => ({ plugins: [...gossip.stochasticGradientPush(), slowMo({ period, baseBuffer })], optimizer: momentumSgd({ momentum: 0.9 }), lr }), async (t) => {
        await t.fit({ epochs, stopAtStep: period });
        const path = join(dir, `${baseBuffer}-${t.rank}.ckpt`);
        await t.save(path);
        return (readCheckpoint(path).optimizer as { velocity: Float32Array }).velocity;
      });
      return outcomes.map((o) => o.result);
    };
    for (const v of await velocityAfter('reset')) expect(v.every((x) => x === 0)).toBe(true);
    for (const v of await velocityAfter('keep')) expect(v.some((x) => x !== 0)).toBe(true);
  });
});

describe('outer optimizers and double averaging are refused where no exact average can be had', () => {
  const refusals: [string, string, () => PluginSpec[], () => PluginSpec][] = [
    ['staleSynchronous', 'slowMo', () => [star(), staleSynchronous()], () => slowMo()],
    ['asynchronousParameterServer', 'blockwiseModelUpdateFiltering', () => [star(), asynchronousParameterServer()], () => blockwiseModelUpdateFiltering()],
    ['backupWorkers', 'slowMo', () => [star(), backupWorkers()], () => slowMo()],
    ['hierarchicalParallelSgd', 'slowMo', () => [hierarchicalParallelSgd({ delay: 1, period: 4 })], () => slowMo()],
    ['overlapLocalSgd', 'blockwiseModelUpdateFiltering', () => [overlapLocalSgd({ period: 4 })], () => blockwiseModelUpdateFiltering()],
    ['stochasticGradientPush', 'doubleAveraging', () => gossip.stochasticGradientPush(), () => doubleAveraging()],
  ];
  it.each(refusals)('%s + %s: createTrainer names both plugins and the missing exact average', async (policy, momentum, plugins, outer) => {
    const error = await failureOf(onRanks(ranks, problem, () => ({ plugins: [...plugins(), outer()] }), (t) => t.fit({ epochs: 1 })));
    expect(error).toBeInstanceOf(CompositionError);
    expect((error as CompositionError).plugins).toEqual([momentum, policy]);
    expect(error.message).toContain(Capabilities.exactAverage);
  });

  it('accepts them where the policy averages exactly: HPSGD with delay 0, Overlap-Local-SGD reduced to local SGD, local SGD', async () => {
    for (const policy of [hierarchicalParallelSgd({ delay: 0, period: 4 }), overlapLocalSgd({ period: 4, alpha: 1, overlap: false }), localSgd({ period: 4 })]) {
      const outcomes = await onRanks(ranks, problem, () => ({ plugins: [policy, slowMo({ beta: 0.6 })] }), (t) => t.fit({ epochs: 1 }));
      expect(stepEvents(outcomes[0]!.events).filter((e) => e.synced).map((e) => e.step)).toEqual([3, 7]);
    }
  });
});
