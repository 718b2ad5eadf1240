import { hierarchicalParallelSgd, localSgd } from '@syncopate/sync-policy';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sgd } from '../../src/optimizers/sgd.js';
import { onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';
import { onNetwork, relativeGap, stepEvents } from './support.js';

const problem = smallProblem();
const dir = mkdtempSync(join(tmpdir(), 'syncopate-hpsgd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const gapOf = (parameters: Float32Array) => problem.objective(parameters) - problem.optimalLoss;
const startGap = gapOf(problem.layout.allocate());

describe('hierarchicalParallelSgd (HPSGD) on the synthetic least-squares problem', () => {
  it('with delay 0 equals the local SGD average (the paper’s Eq. 2), on every rank', async () => {
    const options = { optimizer: sgd(), lr: 0.2 };
    const hpsgd = await onRanks(4, problem, () => ({ ...options, plugins: [hierarchicalParallelSgd({ delay: 0, period: 4 })] }), (t) => t.fit({ epochs: 3 }));
    const local = await onRanks(4, problem, () => ({ ...options, plugins: [localSgd({ period: 4 })] }), (t) => t.fit({ epochs: 3 }));
    for (let rank = 0; rank < 4; rank++) {
      expect(relativeGap(hpsgd[rank]!.parameters, local[rank]!.parameters)).toBeLessThan(1e-6);
      expect(stepEvents(hpsgd[rank]!.events).map((e) => e.synced)).toEqual(stepEvents(local[rank]!.events).map((e) => e.synced));
    }
    expect(hpsgd[0]!.result.syncCount).toBe(6);
  });

  it('with delay 1 merges one sync late, yet keeps the ranks equal after each sync and converges', async () => {
    const delayed = await onRanks(4, problem, () => ({ lr: 0.2, plugins: [hierarchicalParallelSgd({ period: 4 })] }), (t) => t.fit({ epochs: 4 }));
    const prompt = await onRanks(4, problem, () => ({ lr: 0.2, plugins: [hierarchicalParallelSgd({ delay: 0, period: 4 })] }), (t) => t.fit({ epochs: 4 }));
    expect(relativeGap(delayed[0]!.parameters, prompt[0]!.parameters)).toBeGreaterThan(1e-4);
    for (const o of delayed) expect(o.parameters).toEqual(delayed[0]!.parameters);
    expect(gapOf(delayed[0]!.parameters)).toBeLessThan(0.05 * startGap);
  });

  it('syncs whenever the last sync has finished: fewer syncs on a slow network, every rank agreeing on when', async () => {
    const run = (latencyMs: number) =>
      onNetwork(
        { network: { ranks: 4, latencyMs }, computeMs: () => 10 },
        problem,
        () => ({ lr: 0.2, plugins: [hierarchicalParallelSgd()], evaluate: false }),
        (t) => t.fit({ epochs: 3 }),
      );
    const fast = await run(0.01);
    const slow = await run(6);
    const windows = (events: ReturnType<typeof stepEvents>) => events.filter((e) => e.synced).map((e) => e.traces.window!);
    for (const { outcomes } of [fast, slow]) {
      const synced = outcomes.map((o) => stepEvents(o.events).map((e) => e.synced));
      for (const s of synced) expect(s).toEqual(synced[0]);
      for (const o of outcomes) expect(o.parameters).toEqual(outcomes[0]!.parameters);
      expect(gapOf(outcomes[0]!.parameters)).toBeLessThan(0.1 * startGap);
    }
    const fastWindows = windows(stepEvents(fast.outcomes[0]!.events));
    const slowWindows = windows(stepEvents(slow.outcomes[0]!.events));
    // The agreement posted at a step boundary is read at the next one: a sync starts one step after
    // every rank has seen the last one land, so windows are 2 steps on a fast network.
    expect(Math.max(...fastWindows)).toBe(2);
    // An average takes 6 latencies (a ring allreduce on 4 ranks) = 36 ms, longer than 3 steps of
    // 10 ms: windows are at least 4 + 1 steps, and the same every time.
    expect(slowWindows[1]).toBeGreaterThanOrEqual(5);
    expect(slowWindows.slice(1).every((w) => w === slowWindows[1])).toBe(true);
    // The agreement's 6 ms travel while the next step computes: no step waits for it (24 steps of
    // 10 ms plus the final average; a blocking agreement would add 24 × 6 ms).
    expect(Math.max(...slow.finishMs)).toBeLessThan(24 * 10 + 2 * 36);
    // The averaging is hidden behind training: faster than local SGD blocking on the same 3-step windows.
    const blocking = await onNetwork(
      { network: { ranks: 4, latencyMs: 6 }, computeMs: () => 10 },
      problem,
      () => ({ lr: 0.2, plugins: [localSgd({ period: 3 })], evaluate: false }),
      (t) => t.fit({ epochs: 3 }),
    );
    expect(Math.max(...slow.finishMs)).toBeLessThan(0.85 * Math.max(...blocking.finishMs));
  });

  it('resumes bit for bit from a checkpoint taken while an average was in flight', async () => {
    const composition = () => ({ lr: 0.2, plugins: [hierarchicalParallelSgd({ period: 3 })], seed: 4 });
    const uninterrupted = await onRanks(4, problem, composition, (t) => t.fit({ epochs: 3 }));
    await onRanks(4, problem, composition, async (t) => {
      await t.fit({ epochs: 3, stopAtStep: 10 }); // the average started at step 8 is in flight
      await t.save(join(dir, `rank-${t.rank}.ckpt`));
    });
    const resumed = await onRanks(4, problem, composition, async (t) => {
      await t.restore(join(dir, `rank-${t.rank}.ckpt`));
      return t.fit({ epochs: 3 });
    });
    for (let rank = 0; rank < 4; rank++) {
      expect(resumed[rank]!.parameters).toEqual(uninterrupted[rank]!.parameters);
      expect(stepEvents(resumed[rank]!.events).map((e) => e.loss)).toEqual(stepEvents(uninterrupted[rank]!.events).slice(10).map((e) => e.loss));
    }
  });

  it('without a period, pauses and resumes with the posted agreement settled and kept', async () => {
    const composition = () => ({ lr: 0.2, plugins: [hierarchicalParallelSgd()], seed: 4 });
    await onRanks(4, problem, composition, async (t) => {
      await t.fit({ epochs: 3, stopAtStep: 10 }); // an agreement was posted at step 9's boundary
      await t.save(join(dir, `agreement-${t.rank}.ckpt`));
    });
    const resumed = await onRanks(4, problem, composition, async (t) => {
      await t.restore(join(dir, `agreement-${t.rank}.ckpt`));
      return t.fit({ epochs: 3 });
    });
    const synced = resumed.map((o) => stepEvents(o.events).map((e) => e.synced));
    expect(synced[0]!.length).toBe(14);
    for (const s of synced) expect(s).toEqual(synced[0]);
    for (const o of resumed) expect(o.parameters).toEqual(resumed[0]!.parameters);
    expect(gapOf(resumed[0]!.parameters)).toBeLessThan(0.1 * startGap);
  });
});
