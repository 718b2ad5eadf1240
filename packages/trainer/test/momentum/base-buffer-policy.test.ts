/**
 * The base-buffer policy at the sync points of every sync policy the matrix knows (periodic ones
 * included): `reset` zeroes the base optimizer's momentum, `average` replaces it on every rank
 * with the mean over ranks of what `keep` leaves, and `keep` leaves exactly what a run without
 * any momentum plugin has. Checked through checkpoints taken right after the first and the second
 * sync of each policy.
 */
import type { PluginSpec, StepEvent } from '@syncopate/core';
import { baseBufferPolicy } from '@syncopate/momentum';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { momentumSgd, readCheckpoint } from '../../src/index.js';
import { onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';
import { POLICIES } from '../composition/combinations.js';

const problem = smallProblem();
const ranks = 4;
const dir = mkdtempSync(join(tmpdir(), 'syncopate-base-buffer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The steps at which `policy` syncs in a 2-epoch run. */
async function syncSteps(policy: () => PluginSpec): Promise<number[]> {
  const [rank0] = await onRanks(ranks, problem, () => ({ plugins: [policy()], optimizer: momentumSgd() }), (t) => t.fit({ epochs: 2 }));
  return (rank0!.events as StepEvent[]).filter((e) => e.type === 'step' && e.synced).map((e) => e.step);
}

/** Each rank's momentum buffer right after `step`, with `momentum` composed (or none). */
async function velocitiesAfter(policy: () => PluginSpec, momentum: PluginSpec[], step: number, tag: string): Promise<Float32Array[]> {
  const outcomes = await onRanks(ranks, problem, () => ({ plugins: [policy(), ...momentum], optimizer: momentumSgd({ momentum: 0.9 }) }), async (t) => {
    await t.fit({ epochs: 2, stopAtStep: step + 1 });
    const path = join(dir, `${tag}-${step}-${t.rank}.ckpt`);
    await t.save(path);
    return (readCheckpoint(path).optimizer as { velocity: Float32Array }).velocity;
  });
  return outcomes.map((o) => o.result);
}

describe('base-buffer policy at every sync point', () => {
  it.each(POLICIES.map((p) => [p.factory, p] as const))('%s: reset zeroes, average takes the mean over ranks, keep leaves the buffers alone', async (name, entry) => {
    const steps = await syncSteps(entry.make);
    expect(steps.length, `${name} must sync at least twice in 2 epochs`).toBeGreaterThanOrEqual(2);
    const [first, second] = steps as [number, number];
    const untouched = await velocitiesAfter(entry.make, [], first, `${name}-none`);
    const kept = await velocitiesAfter(entry.make, [baseBufferPolicy({ policy: 'keep' })], first, `${name}-keep`);
    expect(kept).toEqual(untouched);
    expect(kept[0]!.some((v) => v !== 0)).toBe(true);

    const averaged = await velocitiesAfter(entry.make, [baseBufferPolicy({ policy: 'average' })], first, `${name}-average`);
    const mean = kept[0]!.map((_, i) => kept.reduce((sum, v) => sum + v[i]!, 0) / ranks);
    for (const v of averaged) v.forEach((x, i) => expect(x).toBeCloseTo(mean[i]!, 6));

    const reset = await velocitiesAfter(entry.make, [baseBufferPolicy({ policy: 'reset' })], first, `${name}-reset`);
    for (const v of reset) expect(v.every((x) => x === 0)).toBe(true);

    // At the second sync the buffers have diverged again: reset and average still hold.
    for (const v of await velocitiesAfter(entry.make, [baseBufferPolicy({ policy: 'reset' })], second, `${name}-reset`)) expect(v.every((x) => x === 0)).toBe(true);
    const again = await velocitiesAfter(entry.make, [baseBufferPolicy({ policy: 'average' })], second, `${name}-average`);
    for (const v of again) expect(v).toEqual(again[0]);
  });
});
