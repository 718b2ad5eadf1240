import type { PluginSpec } from '@syncopate/core';
import { localSgd, overlapLocalSgd } from '@syncopate/sync-policy';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { momentumSgd } from '../../src/optimizers/momentum-sgd.js';
import { sgd } from '../../src/optimizers/sgd.js';
import { onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';
import { onNetwork, stepEvents } from './support.js';

const problem = smallProblem();
const dir = mkdtempSync(join(tmpdir(), 'syncopate-overlap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const gapOf = (parameters: Float32Array) => problem.objective(parameters) - problem.optimalLoss;

describe('overlapLocalSgd on the synthetic least-squares problem', () => {
  it('with α = 1 and no overlap gives parameters bit-identical to local SGD, every step, on every rank', async () => {
    for (const optimizer of [sgd(), momentumSgd({ momentum: 0.9 })]) {
      const overlap = await onRanks(4, problem, () => ({ optimizer, plugins: [overlapLocalSgd({ period: 3, alpha: 1, overlap: false })] }), (t) => t.fit({ epochs: 3 }));
      const local = await onRanks(4, problem, () => ({ optimizer, plugins: [localSgd({ period: 3 })] }), (t) => t.fit({ epochs: 3 }));
      for (let rank = 0; rank < 4; rank++) {
        expect(overlap[rank]!.parameters).toEqual(local[rank]!.parameters);
        expect(stepEvents(overlap[rank]!.events).map((e) => e.loss)).toEqual(stepEvents(local[rank]!.events).map((e) => e.loss));
      }
    }
  });

  it('overlapped, hides the averaging behind the next τ steps and still converges', async () => {
    const network = { ranks: 4, latencyMs: 5 };
    const run = (plugin: PluginSpec) =>
      onNetwork({ network, computeMs: () => 10 }, problem, () => ({ lr: 0.2, plugins: [plugin], evaluate: false }), (t) => t.fit({ epochs: 4 }));
    const overlapped = await run(overlapLocalSgd({ period: 4, alpha: 0.5 }));
    const blocking = await run(localSgd({ period: 4 }));
    for (const o of overlapped.outcomes) expect(o.parameters).toEqual(overlapped.outcomes[0]!.parameters);
    expect(gapOf(overlapped.outcomes[0]!.parameters)).toBeLessThan(0.05 * gapOf(problem.layout.allocate()));
    // 8 averages of 6 latencies each (30 ms) block local SGD; overlapped, only the last one is waited for.
    expect(Math.max(...overlapped.finishMs)).toBeLessThan(Math.max(...blocking.finishMs) - 150);
  });

  it('resumes bit for bit from a checkpoint taken while an average was in flight', async () => {
    const composition = () => ({ lr: 0.2, plugins: [overlapLocalSgd({ period: 4, alpha: 0.5, anchorMomentum: 0.3 })], seed: 9 });
    const uninterrupted = await onRanks(4, problem, composition, (t) => t.fit({ epochs: 3 }));
    await onRanks(4, problem, composition, async (t) => {
      await t.fit({ epochs: 3, stopAtStep: 10 }); // the average started at step 7 lands at step 11
      await t.save(join(dir, `rank-${t.rank}.ckpt`));
    });
    const resumed = await onRanks(4, problem, composition, async (t) => {
      await t.restore(join(dir, `rank-${t.rank}.ckpt`));
      return t.fit({ epochs: 3 });
    });
    for (let rank = 0; rank < 4; rank++) expect(resumed[rank]!.parameters).toEqual(uninterrupted[rank]!.parameters);
  });
});
