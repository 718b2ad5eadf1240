/**
 * Test support (not published): run one trainer per rank on the simulated network of
 * `@syncopate/transport-local`, on a synthetic least-squares problem from `@syncopate/data`.
 */
import { leastSquares, type SyntheticProblem } from '@syncopate/data';
import type { TrainerEvent } from '@syncopate/core';
import { runSimulated, type SimulatedTransport } from '@syncopate/transport-local';
import { createTrainer } from '../create-trainer.js';
import type { Trainer } from '../training/trainer.js';
import type { TrainerOptions } from '../training/trainer-options.js';

/** 256 examples of 8 features: 4 ranks × 8 batches of 8 per epoch. */
export function smallProblem(): SyntheticProblem {
  return leastSquares({ samples: 256, features: 8, noise: 0.1, seed: 3 });
}

/** What each rank reports back. */
export interface RankOutcome<T> {
  readonly parameters: Float32Array;
  readonly events: TrainerEvent[];
  readonly result: T;
}

/**
 * Build a trainer per rank with `options(rank)` (transport, model and data are filled in), hand
 * it to `body`, and return each rank's final parameters, events and `body`'s result.
 */
export async function onRanks<T>(
  ranks: number,
  problem: SyntheticProblem,
  options: (rank: number) => Partial<TrainerOptions>,
  body: (trainer: Trainer, transport: SimulatedTransport) => Promise<T>,
): Promise<RankOutcome<T>[]> {
  const { results } = await runSimulated(ranks, async (transport, rank) => {
    const trainer = createTrainer({ transport, model: problem.createModel(), data: problem.dataset, batchSize: 8, lr: 0.05, ...options(rank) });
    const events: TrainerEvent[] = [];
    trainer.metrics$.subscribe((event) => events.push(event));
    try {
      const result = await body(trainer, transport);
      return { parameters: trainer.parameters(), events, result };
    } finally {
      await trainer.dispose();
    }
  });
  return results;
}

/**
 * The error a rank's run failed with. The simulated network reports a failed rank as a
 * `TransportError` naming the rank, with the rank's own error as its `cause`.
 */
export async function failureOf(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    const cause = (error as Error).cause;
    return (cause instanceof Error ? cause : error) as Error;
  }
  throw new Error('expected the run to fail, but it succeeded');
}
