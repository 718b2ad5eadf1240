/**
 * Run one combination of the matrix: 4 ranks on the simulated network, 30 steps (one epoch) of a
 * tiny least-squares problem, plain SGD. A composition `createTrainer` refuses is reported with
 * its error; any other failure is reported as such, never swallowed.
 */
import { CompositionError } from '@syncopate/core';
import { leastSquares, type SyntheticProblem } from '@syncopate/data';
import { runSimulated } from '@syncopate/transport-local';
import { createTrainer, sgd } from '../../src/index.js';
import { pluginsOf, type Combination } from './combinations.js';

export const RANKS = 4;
export const STEPS = 30;
const BATCH = 8;

/** 8 features, RANKS × STEPS × BATCH examples: one epoch is 30 steps on every rank. */
export function matrixProblem(): SyntheticProblem {
  return leastSquares({ samples: RANKS * STEPS * BATCH, features: 8, noise: 0.1, seed: 7, testSamples: 0 });
}

/** What a combination did. */
export type Outcome =
  | { readonly kind: 'trained'; readonly initialLoss: number; readonly finalLoss: number }
  | { readonly kind: 'refused'; readonly error: CompositionError }
  | { readonly kind: 'failed'; readonly error: Error };

export async function runCombination(problem: SyntheticProblem, combination: Combination): Promise<Outcome> {
  const plugins = pluginsOf(combination);
  try {
    const { results } = await runSimulated(RANKS, async (transport): Promise<{ refused: CompositionError } | { parameters: Float32Array }> => {
      let trainer;
      try {
        trainer = createTrainer({ transport, model: problem.createModel(), data: problem.dataset, plugins, optimizer: sgd(), lr: 0.05, batchSize: BATCH, evaluate: false });
      } catch (error) {
        if (error instanceof CompositionError) return { refused: error };
        throw error;
      }
      try {
        const result = await trainer.fit({ epochs: 1 });
        if (result.steps !== STEPS) throw new Error(`took ${result.steps} steps, expected ${STEPS}`);
        return { parameters: trainer.parameters() };
      } finally {
        await trainer.dispose();
      }
    });
    const losses: number[] = [];
    for (const result of results) {
      if ('refused' in result) return { kind: 'refused', error: result.refused };
      losses.push(problem.objective(result.parameters));
    }
    return { kind: 'trained', initialLoss: problem.objective(problem.layout.allocate()), finalLoss: losses.reduce((a, b) => a + b, 0) / losses.length };
  } catch (error) {
    const cause = (error as Error).cause;
    return { kind: 'failed', error: (cause instanceof Error ? cause : error) as Error };
  }
}
