import { choleskySolve } from './cholesky.js';
import { hessian, objectiveAndGradient, type LinearObjective, type LinearRows } from './linear-objective.js';

/** Where Newton's method stopped. */
export interface NewtonResult {
  readonly theta: Float64Array;
  readonly value: number;
  /** Largest |∂F/∂θⱼ| at `theta`. */
  readonly gradientNorm: number;
  readonly iterations: number;
}

/**
 * Minimise a convex linear-model objective in float64 by damped Newton's method (Boyd &
 * Vandenberghe, "Convex Optimization", 2004, §9.5): θ ← θ − t·H⁻¹∇F with backtracking on t.
 *
 * For least squares the Hessian is constant, so the first step from 0 solves the normal
 * equations (XᵀX) θ = Xᵀy exactly; for logistic regression it converges quadratically.
 * Returns `undefined` when the Hessian is singular or the gradient does not fall below
 * `tolerance` within `maxIterations` (e.g. separable data without an L2 penalty).
 */
export function newtonMinimize(objective: LinearObjective, rows: LinearRows, tolerance = 1e-10, maxIterations = 50): NewtonResult | undefined {
  const m = rows.features + 1;
  let theta = new Float64Array(m);
  const gradient = new Float64Array(m);
  let value = objectiveAndGradient(objective, theta, rows, gradient);
  for (let iteration = 0; iteration <= maxIterations; iteration++) {
    const gradientNorm = gradient.reduce((a, g) => Math.max(a, Math.abs(g)), 0);
    if (gradientNorm <= tolerance) return { theta, value, gradientNorm, iterations: iteration };
    if (iteration === maxIterations) break;
    const direction = choleskySolve(hessian(objective, theta, rows), gradient, m);
    if (!direction) return undefined;
    let slope = 0;
    for (let j = 0; j < m; j++) slope += gradient[j]! * direction[j]!;
    let step = 1;
    let candidate = theta;
    let candidateValue = value;
    const candidateGradient = new Float64Array(m);
    for (let halvings = 0; halvings < 60; halvings++) {
      candidate = theta.map((t, j) => t - step * direction[j]!);
      candidateValue = objectiveAndGradient(objective, candidate, rows, candidateGradient);
      // Armijo condition, with slack for rounding once the decrease is below float64 resolution.
      if (candidateValue <= value - 0.25 * step * slope + 1e-15 * Math.abs(value)) break;
      step /= 2;
    }
    theta = candidate;
    value = candidateValue;
    gradient.set(candidateGradient);
  }
  return undefined;
}
