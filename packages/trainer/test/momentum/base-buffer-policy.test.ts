/**
 * The base-buffer policy at the sync points of every sync policy the composition matrix knows.
 * Where every rank syncs at the same steps (BSP and the periodic policies: local SGD, post-local
 * SGD, ADPSGD, HPSGD, Overlap-Local-SGD), `reset` zeroes the base optimizer's momentum, `average`
 * replaces it on every rank with the mean over ranks of what `keep` leaves, and `keep` leaves
 * exactly what a run without any momentum plugin has; checked through checkpoints taken right
 * after the first and the second sync. Policies that never report a sync (gossip) leave the
 * buffers alone under `reset` and `keep`. `average` needs every rank to sync at the same steps
 * (`Capabilities.lockstepSync`): on parameter-server policies only the workers sync, so it would
 * wait forever for the servers, and gossip never syncs; `createTrainer` refuses both.
 */
import { Capabilities, CompositionError, type PluginSpec, type StepEvent } from '@syncopate/core';
import { baseBufferPolicy } from '@syncopate/momentum';
import { complete, star } from '@syncopate/topology';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { momentumSgd, readCheckpoint } from '../../src/index.js';
import { failureOf, onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';
import { POLICIES, collectiveFor, type PolicyEntry } from '../composition/combinations.js';

const problem = smallProblem();
const ranks = 4;
const dir = mkdtempSync(join(tmpdir(), 'syncopate-base-buffer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const needsServers = (entry: PolicyEntry) => (entry.make().requires ?? []).some((r) => r.capability === Capabilities.serverRanks);

/** The policy with a topology it can run on (a star for parameter servers) and its collective. */
function composed(entry: PolicyEntry): () => PluginSpec[] {
  const topology = needsServers(entry) ? 'star' : 'complete';
  return () => {
    const policy = entry.make();
    return [topology === 'star' ? star() : complete(), collectiveFor(policy, topology), policy];
  };
}

/** The steps at which each rank reported a sync in a 2-epoch run. */
async function syncSteps(plugins: () => PluginSpec[]): Promise<number[][]> {
  const outcomes = await onRanks(ranks, problem, () => ({ plugins: plugins(), optimizer: momentumSgd() }), (t) => t.fit({ epochs: 2 }));
  return outcomes.map((o) => (o.events as StepEvent[]).filter((e) => e.type === 'step' && e.synced).map((e) => e.step));
}

/** Each rank's momentum buffer right after `step`, with `momentum` composed (or none). */
async function velocitiesAfter(plugins: () => PluginSpec[], momentum: PluginSpec[], step: number, tag: string): Promise<Float32Array[]> {
  const outcomes = await onRanks(ranks, problem, () => ({ plugins: [...plugins(), ...momentum], optimizer: momentumSgd({ momentum: 0.9 }) }), async (t) => {
    await t.fit({ epochs: 2, stopAtStep: step + 1 });
    const path = join(dir, `${tag}-${step}-${t.rank}.ckpt`);
    await t.save(path);
    return (readCheckpoint(path).optimizer as { velocity: Float32Array }).velocity;
  });
  return outcomes.map((o) => o.result);
}

const policy = (name: 'reset' | 'average' | 'keep') => [baseBufferPolicy({ policy: name })];

describe('base-buffer policy at every sync point', () => {
  it.each(POLICIES.map((p) => [p.factory, p] as const))('%s: what reset, average and keep do at its sync points', async (name, entry) => {
    const plugins = composed(entry);
    const steps = await syncSteps(plugins);
    const together = steps.every((s) => s.join() === steps[0]!.join());
    if (!together) {
      // Parameter servers: only workers sync. reset and keep still act per rank.
      expect(needsServers(entry), `${name}: ranks sync at different steps`).toBe(true);
      const step = steps.flat()[0]!;
      const reset = await velocitiesAfter(plugins, policy('reset'), step, `${name}-reset`);
      reset.forEach((v, rank) => expect(v.every((x) => x === 0)).toBe(steps[rank]!.includes(step)));
      expect(await velocitiesAfter(plugins, policy('keep'), step, `${name}-keep`)).toEqual(await velocitiesAfter(plugins, [], step, `${name}-none`));
      return;
    }
    const untouched = (step: number) => velocitiesAfter(plugins, [], step, `${name}-none`);
    if (steps[0]!.length === 0) {
      // Gossip: no sync is ever reported, so reset and keep never touch the buffers; average is refused.
      for (const choice of ['reset', 'keep'] as const) expect(await velocitiesAfter(plugins, policy(choice), 5, `${name}-${choice}`)).toEqual(await untouched(5));
      await expectAverageRefused(entry);
      return;
    }
    expect(steps[0]!.length, `${name} must sync at least twice in 2 epochs`).toBeGreaterThanOrEqual(2);
    const [first, second] = steps[0] as [number, number];
    const kept = await velocitiesAfter(plugins, policy('keep'), first, `${name}-keep`);
    expect(kept).toEqual(await untouched(first));
    expect(kept[0]!.some((v) => v !== 0)).toBe(true);

    const averaged = await velocitiesAfter(plugins, policy('average'), first, `${name}-average`);
    const mean = kept[0]!.map((_, i) => kept.reduce((sum, v) => sum + v[i]!, 0) / ranks);
    for (const v of averaged) v.forEach((x, i) => expect(x).toBeCloseTo(mean[i]!, 6));

    for (const v of await velocitiesAfter(plugins, policy('reset'), first, `${name}-reset`)) expect(v.every((x) => x === 0)).toBe(true);

    // At the second sync the buffers have diverged again: reset and average still hold.
    for (const v of await velocitiesAfter(plugins, policy('reset'), second, `${name}-reset`)) expect(v.every((x) => x === 0)).toBe(true);
    const again = await velocitiesAfter(plugins, policy('average'), second, `${name}-average`);
    for (const v of again) expect(v).toEqual(again[0]);
  });

  // The servers of a parameter-server policy never sync, so the workers' buffer average would wait
  // for them forever (a DeadlockError on the simulated network, before the lockstep capability).
  it.each(POLICIES.filter(needsServers).map((p) => [p.factory, p] as const))("%s: 'average' is refused in createTrainer", async (_name, entry) => {
    await expectAverageRefused(entry);
  });
});

/** createTrainer refuses `average` over `entry`, naming both plugins and the missing guarantee. */
async function expectAverageRefused(entry: PolicyEntry): Promise<void> {
  const error = await failureOf(onRanks(ranks, problem, () => ({ plugins: [...composed(entry)(), ...policy('average')], optimizer: momentumSgd() }), (t) => t.fit({ epochs: 1 })));
  expect(error).toBeInstanceOf(CompositionError);
  expect((error as CompositionError).plugins).toEqual(['baseBufferPolicy', entry.factory]);
  expect(error.message).toContain(Capabilities.lockstepSync);
}
