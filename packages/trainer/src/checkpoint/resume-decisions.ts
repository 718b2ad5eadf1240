/**
 * What rank 0 decides in the trainer's checkpoint agreements (`agree`, `startup/rank-agreement.ts`):
 * whether the files every rank restores hold one training position, and which step a coordinated
 * resume takes. Both throw a `StateError` whose message every rank then shows.
 */
import { StateError } from '@syncopate/core';
import type { TrainingPosition } from './trainer-checkpoint.js';

/** What one rank holds of a `CheckpointSeries`: the steps it verified, and how many files it refused. */
export interface HeldSteps {
  readonly intact: readonly number[];
  readonly refused: number;
}

/** The agreement's decision for `restore`: every rank's file holds the same training position. */
export function samePosition(positions: readonly TrainingPosition[]): TrainingPosition {
  const key = (p: TrainingPosition) => `step ${p.step} (epoch ${p.epoch}, batch ${p.stepInEpoch})`;
  const groups = new Map<string, number[]>();
  positions.forEach((p, rank) => groups.set(key(p), [...(groups.get(key(p)) ?? []), rank]));
  if (groups.size === 1) return positions[0]!;
  const parts = [...groups].map(([at, ranks]) => `${ranks.length === 1 ? 'rank' : 'ranks'} ${ranks.join(', ')} at ${at}`);
  throw new StateError(`ranks restored checkpoints of different training positions: ${parts.join('; ')} (every rank must resume from the same step)`);
}

/**
 * The agreement's decision for `resumeFrom`: the newest step in every rank's intact list; `null`
 * (a fresh start) only when no rank has any file, intact or refused.
 */
export function newestCommonStep(held: readonly HeldSteps[]): number | null {
  if (held.every((h) => h.intact.length === 0 && h.refused === 0)) return null;
  const common = held.slice(1).reduce<readonly number[]>((acc, h) => acc.filter((s) => h.intact.includes(s)), held[0]!.intact);
  if (common.length > 0) return Math.max(...common);
  const lists = held.map((h, rank) => {
    const refused = h.refused > 0 ? ` (${h.refused} ${h.refused === 1 ? 'file' : 'files'} unreadable, damaged or of another run)` : '';
    return `rank ${rank}: ${h.intact.length === 0 ? 'none' : h.intact.join(', ')}${refused}`;
  });
  throw new StateError(`no checkpointed step is intact on every rank (${lists.join('; ')}); cannot resume together`);
}
