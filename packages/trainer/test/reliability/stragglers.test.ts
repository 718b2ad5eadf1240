/**
 * A straggler (one rank 3× slower, placed on the simulated network's virtual clock) must show as
 * waiting in BSP's step metrics, and must not stall the policies built to tolerate it:
 * asynchronous parameter server (ASP) and synchronous SGD with backup workers.
 */
import type { PluginSpec, StepEvent, TrainerEvent } from '@syncopate/core';
import { asynchronousParameterServer, backupWorkers, bsp, staleSynchronous } from '@syncopate/sync-policy';
import { star } from '@syncopate/topology';
import { runSimulated } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { createTrainer } from '../../src/create-trainer.js';
import { smallProblem } from '../../src/test-support/simulated-ranks.js';
import { slowedModel } from './straggler-model.js';

const problem = smallProblem();
const FAST_MS = 10;
const SLOW_MS = 3 * FAST_MS;
const STEPS = 12;

interface Timed {
  readonly steps: StepEvent[];
  /** Virtual time at which this rank emitted its last step event. */
  readonly finishedAt: number;
  /** Virtual time at which `fit` returned (after the policy's end-of-run synchronisation). */
  readonly returnedAt: number;
}

/** Run `STEPS` steps on `ranks` ranks with rank `slow` 3× slower; each rank's step events and finish time. */
async function withStraggler(ranks: number, slow: number, plugins: PluginSpec[]): Promise<Timed[]> {
  const { results } = await runSimulated({ ranks, latencyMs: 0.05 }, async (transport, rank) => {
    const model = slowedModel(problem.createModel(), transport, () => (rank === slow ? SLOW_MS : FAST_MS));
    const trainer = createTrainer({ transport, model, data: problem.dataset, plugins, batchSize: 8, lr: 0.05, evaluate: false });
    const events: TrainerEvent[] = [];
    let finishedAt = 0;
    trainer.metrics$.subscribe((e) => {
      events.push(e);
      if (e.type === 'step') finishedAt = transport.clock.now();
    });
    try {
      await trainer.fit({ epochs: 10, stopAtStep: STEPS });
      return { steps: events.filter((e): e is StepEvent => e.type === 'step'), finishedAt, returnedAt: transport.clock.now() };
    } finally {
      await trainer.dispose();
    }
  });
  return results;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('a straggler 3× slower than the other ranks', () => {
  it('BSP: every fast rank waits about the difference each step, and the step metrics show it', async () => {
    const ranks = await withStraggler(4, 2, [bsp()]);
    console.log(`stragglers/bsp: finish ${ranks.map((r) => r.finishedAt.toFixed(1)).join(', ')} ms; wait ${ranks.map((r) => mean(r.steps.map((s) => s.timings.wait)).toFixed(2)).join(', ')}; communication ${ranks.map((r) => mean(r.steps.map((s) => s.timings.communication)).toFixed(2)).join(', ')} ms/step`);
    for (const [rank, { steps, finishedAt }] of ranks.entries()) {
      expect(steps).toHaveLength(STEPS);
      // Everybody runs at the straggler's pace: STEPS × 30 ms, plus a little network time.
      expect(finishedAt).toBeGreaterThanOrEqual(STEPS * SLOW_MS);
      expect(finishedAt).toBeLessThan(STEPS * SLOW_MS * 1.2);
      // The exchange's probe counts the time until the straggler arrives as `wait`; the
      // communication that follows is transfer time only, the same small amount on every rank.
      const waited = mean(steps.map((s) => s.timings.wait));
      if (rank === 2) expect(waited).toBeLessThan(0.2 * (SLOW_MS - FAST_MS));
      else expect(waited).toBeGreaterThan(0.9 * (SLOW_MS - FAST_MS));
      expect(mean(steps.map((s) => s.timings.communication))).toBeLessThan(0.1 * (SLOW_MS - FAST_MS));
      for (const s of steps) expect(s.timings.total).toBeGreaterThanOrEqual(SLOW_MS - 1e-9);
    }
  });

  it('asynchronous parameter server: the fast workers are not held back', async () => {
    const ranks = await withStraggler(4, 3, [star({ server: 0 }), asynchronousParameterServer()]);
    const workers = [1, 2, 3].map((r) => ranks[r]!);
    console.log(`stragglers/asp: last step at ${ranks.map((r) => r.finishedAt.toFixed(1)).join(', ')} ms; fit returned at ${ranks.map((r) => r.returnedAt.toFixed(1)).join(', ')} ms`);
    for (const w of workers) expect(w.steps).toHaveLength(STEPS);
    // Fast workers finish near STEPS × 10 ms; under BSP they would need STEPS × 30 ms.
    for (const fast of [workers[0]!, workers[1]!]) expect(fast.finishedAt).toBeLessThan(STEPS * FAST_MS * 1.5);
    expect(workers[2]!.finishedAt).toBeGreaterThanOrEqual(STEPS * SLOW_MS);
  });

  it('backup workers (b = 1): the fast workers are not held back, and the late changes are dropped', async () => {
    const ranks = await withStraggler(5, 4, [star({ server: 0 }), backupWorkers({ backups: 1 })]);
    const fast = [1, 2, 3].map((r) => ranks[r]!);
    console.log(`stragglers/backupWorkers: last step at ${ranks.map((r) => r.finishedAt.toFixed(1)).join(', ')} ms`);
    for (const w of fast) {
      expect(w.steps).toHaveLength(STEPS);
      expect(w.finishedAt).toBeLessThan(STEPS * FAST_MS * 1.5);
    }
    const dropped = ranks.flatMap((r) => r.steps.map((s) => s.traces.dropped ?? 0)).reduce((a, b) => a + b, 0);
    expect(dropped).toBeGreaterThan(0);
  });

  it('stale-synchronous (s = 3): the fast workers run ahead by at most s steps, then wait for the straggler', async () => {
    const staleness = 3;
    const ranks = await withStraggler(4, 3, [star({ server: 0 }), staleSynchronous({ staleness })]);
    console.log(`stragglers/staleSynchronous: last step at ${ranks.map((r) => r.finishedAt.toFixed(1)).join(', ')} ms`);
    for (const fast of [ranks[1]!, ranks[2]!]) {
      expect(fast.steps).toHaveLength(STEPS);
      const ahead = fast.steps.map((s) => s.traces.ahead ?? 0);
      expect(Math.max(...ahead)).toBe(staleness); // the bound is reached…
      // …and holds: the fast workers finish no earlier than the straggler's (STEPS − s)-th step.
      expect(fast.finishedAt).toBeGreaterThanOrEqual((STEPS - staleness - 1) * SLOW_MS);
      expect(fast.finishedAt).toBeLessThan(STEPS * SLOW_MS);
    }
  });
});
