import { bsp, postLocalSgd } from '@syncopate/sync-policy';
import { describe, expect, it } from 'vitest';
import { stepDecay } from '../../src/schedules/step-decay.js';
import { onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';
import { stepEvents } from './support.js';

const problem = smallProblem(); // 4 ranks × 8 steps per epoch

describe('postLocalSgd on the synthetic least-squares problem', () => {
  it('is BSP until the first learning-rate decay (same losses, bit for bit), then local SGD with a sync every H steps', async () => {
    const schedules = [stepDecay({ boundaries: [1], factor: 0.5 })];
    const post = await onRanks(4, problem, () => ({ plugins: [postLocalSgd({ period: 4 })], schedules, lr: 0.2 }), (t) => t.fit({ epochs: 3 }));
    const sync = await onRanks(4, problem, () => ({ plugins: [bsp()], schedules, lr: 0.2 }), (t) => t.fit({ epochs: 3 }));
    for (let rank = 0; rank < 4; rank++) {
      const mine = stepEvents(post[rank]!.events);
      const theirs = stepEvents(sync[rank]!.events);
      expect(mine.slice(0, 8).map((e) => e.loss)).toEqual(theirs.slice(0, 8).map((e) => e.loss));
      expect(mine.map((e) => e.traces.phase)).toEqual([...Array(8).fill(0), ...Array(16).fill(1)]);
      expect(mine.flatMap((e) => (e.synced && e.step >= 8 ? [e.step] : []))).toEqual([11, 15, 19, 23]);
      expect(mine.slice(8).map((e) => e.loss)).not.toEqual(theirs.slice(8).map((e) => e.loss));
      expect(post[rank]!.parameters).toEqual(post[0]!.parameters);
    }
    expect(post[0]!.result.syncCount).toBe(12);
    const start = problem.objective(problem.layout.allocate()) - problem.optimalLoss;
    expect(problem.objective(post[0]!.parameters) - problem.optimalLoss).toBeLessThan(0.05 * start);
  });
});
