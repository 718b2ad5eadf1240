import { knownOptions, numberOption } from '@syncopate/core';
import { squaredError } from './linear-objective.js';
import { syntheticProblem, type SyntheticProblem } from './synthetic-problem.js';

/** Options of {@link leastSquares}. */
export interface LeastSquaresOptions {
  /** Training examples; at least `features + 2` so the minimiser is unique. */
  readonly samples: number;
  /** Input dimension d. */
  readonly features: number;
  /** Standard deviation of the Gaussian noise added to each target (default 0.1). */
  readonly noise?: number;
  /** Seed of every draw (default 0). */
  readonly seed?: number;
  /** Held-out examples from the same distribution (default ⌈samples / 4⌉). */
  readonly testSamples?: number;
}

/**
 * Linear least squares with a known optimum: yᵢ = w_genᵀxᵢ + b_gen + noise·εᵢ with xᵢ, εᵢ Gaussian,
 * and F(w, b) = (1/2n) Σᵢ (wᵀxᵢ + b − yᵢ)². The minimiser θ★ solves the normal equations
 * [X 1]ᵀ[X 1] θ = [X 1]ᵀ y, computed in float64 from the float32 data the model sees; F(θ★) is the
 * residual variance / 2. Strongly convex (condition number near 1 for n ≫ d), so SGD-family
 * algorithms converge linearly to a noise ball around θ★ — the textbook setting of the local
 * SGD analyses (Stich, "Local SGD converges fast and communicates little", ICLR 2019).
 *
 * @example
 * ```ts
 * const problem = leastSquares({ samples: 1024, features: 8, noise: 0.1, seed: 1 });
 * const model = problem.createModel();
 * // … train on problem.dataset …
 * const gap = problem.objective(parameters) - problem.optimalLoss; // → 0
 * ```
 */
export function leastSquares(options: LeastSquaresOptions): SyntheticProblem {
  knownOptions('leastSquares', options, ['samples', 'features', 'noise', 'seed', 'testSamples']);
  const features = numberOption('leastSquares', 'features', options?.features, { min: 1, max: 4096, integer: true });
  const samples = numberOption('leastSquares', 'samples', options?.samples, { min: features + 2, max: 1 << 24, integer: true });
  const noise = numberOption('leastSquares', 'noise', options.noise, { min: 0 }, 0.1);
  return syntheticProblem({
    name: 'leastSquares',
    samples,
    features,
    testSamples: numberOption('leastSquares', 'testSamples', options.testSamples, { min: 0, integer: true }, Math.ceil(samples / 4)),
    seed: numberOption('leastSquares', 'seed', options.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }, 0),
    objective: { loss: squaredError, l2: 0 },
    classification: false,
    target: (z, rng) => z + noise * rng.nextNormal(),
  });
}
