/**
 * Every stateful momentum plugin checkpoints what it needs: a run paused mid-block, saved,
 * restored into fresh trainers and continued ends bit-identical to the uninterrupted run.
 */
import { neighbourAverage, pushSum } from '@syncopate/collectives';
import type { PluginSpec } from '@syncopate/core';
import { errorFeedback, topK } from '@syncopate/compression';
import { blockwiseModelUpdateFiltering, deepGradientCompressionMomentum, globalMomentumCompression, lookahead, slowMo } from '@syncopate/momentum';
import { bsp, decentralizedSgd, localSgd, stochasticGradientPush } from '@syncopate/sync-policy';
import { ring } from '@syncopate/topology';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { momentumSgd, sgd, stepDecay, type TrainerOptions } from '../../src/index.js';
import { onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';

const problem = smallProblem();
const dir = mkdtempSync(join(tmpdir(), 'syncopate-momentum-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schedules = [stepDecay({ boundaries: [1], factor: 0.5 })];
const compositions: Record<string, () => Partial<TrainerOptions>> = {
  blockwiseModelUpdateFiltering: () => ({ plugins: [localSgd({ period: 3 }), blockwiseModelUpdateFiltering({ baseBuffer: 'keep' })], optimizer: momentumSgd(), schedules }),
  lookahead: () => ({ plugins: [bsp(), lookahead({ steps: 4 })], optimizer: momentumSgd(), schedules }),
  deepGradientCompressionMomentum: () => ({ plugins: [bsp(), topK({ ratio: 0.3 }), errorFeedback(), deepGradientCompressionMomentum()], optimizer: sgd(), schedules }),
  globalMomentumCompression: () => ({ plugins: [bsp(), topK({ ratio: 0.3 }), errorFeedback(), globalMomentumCompression()], optimizer: sgd(), schedules }),
  // Over gossip the outer optimizers average themselves every `period` steps; paused mid-period.
  'slowMo over stochasticGradientPush': () => ({ plugins: [ring(), pushSum(), stochasticGradientPush(), slowMo({ beta: 0.6, period: 4 })], optimizer: momentumSgd(), schedules }),
  'blockwiseModelUpdateFiltering over decentralizedSgd': () => ({
    plugins: [ring(), neighbourAverage(), decentralizedSgd(), blockwiseModelUpdateFiltering({ period: 4, baseBuffer: 'keep' })],
    optimizer: momentumSgd(),
    schedules,
  }),
};

describe('momentum plugins resume bit for bit from a checkpoint', () => {
  it.each(Object.keys(compositions))('%s', async (name) => {
    const composition = compositions[name]!;
    const path = (rank: number) => join(dir, `${name}-${rank}.ckpt`);
    const uninterrupted = await onRanks(4, problem, composition, (t) => t.fit({ epochs: 3 }));
    await onRanks(4, problem, composition, async (t) => {
      await t.fit({ epochs: 3, stopAtStep: 10 }); // mid-epoch, between syncs and slow steps
      await t.save(path(t.rank));
    });
    const resumed = await onRanks(4, problem, composition, async (t) => {
      await t.restore(path(t.rank));
      return t.fit({ epochs: 3 });
    });
    for (let rank = 0; rank < 4; rank++) expect(resumed[rank]!.parameters).toEqual(uninterrupted[rank]!.parameters);
    const plugin = (composition().plugins as PluginSpec[]).find((p) => p.kind === 'momentum')!;
    expect(plugin.name).toBe(name.split(' ')[0]);
  });
});
