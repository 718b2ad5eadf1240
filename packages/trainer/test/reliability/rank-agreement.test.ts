/**
 * Ranks that would train different things must be refused before the first step, on every rank,
 * with one message naming the rank that differs and what differs — never a silent wrong answer
 * or a hang in a collective of mismatched lengths.
 */
import { LayoutMismatchError } from '@syncopate/core';
import { errorFeedback, topK } from '@syncopate/compression';
import { leastSquares } from '@syncopate/data';
import { slowMo } from '@syncopate/momentum';
import { localSgd } from '@syncopate/sync-policy';
import { describe, expect, it } from 'vitest';
import { adam } from '../../src/optimizers/adam.js';
import { stepDecay } from '../../src/schedules/step-decay.js';
import type { TrainerOptions } from '../../src/training/trainer-options.js';
import { onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';

const problem = smallProblem();
const RANKS = 4;

/** One way a rank can differ: the options the odd rank uses, and what the message must say. */
const differences: readonly { what: string; odd: () => Partial<TrainerOptions>; says: RegExp }[] = [
  { what: 'a model of another shape', odd: () => ({ model: leastSquares({ samples: 256, features: 9, noise: 0.1, seed: 3 }).createModel() }), says: /shape|tensor|length/i },
  { what: 'another plugin option', odd: () => ({ plugins: [localSgd({ period: 5 })] }), says: /localSgd\{"period":5/ },
  { what: 'an extra plugin', odd: () => ({ plugins: [localSgd({ period: 4 }), slowMo()] }), says: /slowMo/ },
  { what: 'another compressor', odd: () => ({ plugins: [localSgd({ period: 4 }), topK({ ratio: 0.5 }), errorFeedback()] }), says: /topK/ },
  { what: 'another learning rate', odd: () => ({ lr: 0.07 }), says: /"lr":0\.07/ },
  { what: 'another optimizer', odd: () => ({ optimizer: adam() }), says: /adam/ },
  { what: 'another schedule', odd: () => ({ schedules: [stepDecay({ boundaries: [2] })] }), says: /stepDecay/ },
  { what: 'another batch size', odd: () => ({ batchSize: 16 }), says: /"batchSize":16/ },
  { what: 'another seed', odd: () => ({ seed: 99 }), says: /"seed":99/ },
  { what: 'another non-finite policy', odd: () => ({ nonFinite: 'skip' }), says: /"nonFinite":"skip"/ },
];

describe('ranks that differ are refused at start, on every rank', () => {
  it.each(differences.map((d, i) => [d.what, d, 1 + (i % (RANKS - 1))] as const))('%s', async (_what, difference, odd) => {
    const base = (): Partial<TrainerOptions> => ({ plugins: [localSgd({ period: 4 })] });
    const errors = await onRanks(RANKS, problem, (rank) => (rank === odd ? { ...base(), ...difference.odd() } : base()), async (t) => {
      try {
        await t.fit({ epochs: 1 });
      } catch (error) {
        return error as Error;
      }
      return undefined;
    });
    const steps = errors.map((o) => o.events.filter((e) => e.type === 'step').length);
    expect(steps).toEqual([0, 0, 0, 0]);
    for (const { result } of errors) {
      expect(result).toBeInstanceOf(LayoutMismatchError);
      expect(result!.message).toContain(`rank ${odd} differs from rank 0`);
      expect(result!.message).toMatch(difference.says);
    }
    // The same message everywhere, so every rank's log tells the same story.
    expect(new Set(errors.map((o) => o.result!.message)).size).toBe(1);
  });
});
