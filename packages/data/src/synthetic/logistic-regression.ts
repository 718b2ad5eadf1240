import { knownOptions, numberOption } from '@syncopate/core';
import { linearOutput, logisticLoss, sigmoid } from './linear-objective.js';
import { syntheticProblem, type SyntheticProblem } from './synthetic-problem.js';

/** Options of {@link logisticRegression}. */
export interface LogisticRegressionOptions {
  /** Training examples; at least `features + 2`. */
  readonly samples: number;
  /** Input dimension d. */
  readonly features: number;
  /** L2 penalty λ on the weights (not the bias), default 1e-3; λ > 0 makes the minimiser unique even on separable data. */
  readonly l2?: number;
  /** Seed of every draw (default 0). */
  readonly seed?: number;
  /** Held-out examples from the same distribution (default ⌈samples / 4⌉). */
  readonly testSamples?: number;
}

/**
 * Binary L2-regularised logistic regression with a known optimum. Labels are drawn from the
 * model itself, yᵢ ~ Bernoulli(σ(w_genᵀxᵢ + b_gen)), so the classes overlap (about 80 % is the
 * best accuracy), and F(w, b) = (1/n) Σᵢ [log(1 + e^{zᵢ}) − yᵢ zᵢ] + (λ/2)‖w‖² with zᵢ = wᵀxᵢ + b.
 * "Known optimum" means: θ★ is computed in float64 by damped Newton's method until
 * ‖∇F(θ★)‖∞ ≤ 1e-10 (quadratic convergence, a handful of iterations), on the exact float32 data
 * the model sees. F is strongly convex for λ > 0. Labels are class indices 0/1 (`numClasses` 2).
 *
 * @example
 * ```ts
 * const problem = logisticRegression({ samples: 2048, features: 10, seed: 3 });
 * problem.optimum;      // Float32Array [w₀ … w₉, b]
 * problem.optimalLoss;  // F(θ★)
 * ```
 */
export function logisticRegression(options: LogisticRegressionOptions): SyntheticProblem {
  knownOptions('logisticRegression', options, ['samples', 'features', 'l2', 'seed', 'testSamples']);
  const features = numberOption('logisticRegression', 'features', options?.features, { min: 1, max: 4096, integer: true });
  const samples = numberOption('logisticRegression', 'samples', options?.samples, { min: features + 2, max: 1 << 24, integer: true });
  const l2 = numberOption('logisticRegression', 'l2', options.l2, { min: 0 }, 1e-3);
  return syntheticProblem({
    name: 'logisticRegression',
    samples,
    features,
    testSamples: numberOption('logisticRegression', 'testSamples', options.testSamples, { min: 0, integer: true }, Math.ceil(samples / 4)),
    seed: numberOption('logisticRegression', 'seed', options.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }, 0),
    objective: { loss: logisticLoss, l2 },
    classification: true,
    target: (z, rng) => (rng.nextFloat() < sigmoid(z) ? 1 : 0),
    // Without a penalty, a θ that classifies every training example correctly means the classes
    // are separable: the loss tends to 0 as ‖w‖ → ∞ and has no minimiser.
    isMinimiser: (theta, rows) =>
      l2 > 0 || Array.from({ length: rows.count }, (_, i) => linearOutput(theta, rows.inputs, i, rows.features)).some((z, i) => (z > 0 ? 1 : 0) !== rows.targets[i]),
  });
}
