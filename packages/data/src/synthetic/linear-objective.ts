/**
 * The objective of a linear model with parameters θ = (w, b), w ∈ ℝᵈ, b ∈ ℝ:
 *
 *   F(θ) = (1/n) Σᵢ ℓ(wᵀxᵢ + b, yᵢ) + (λ/2)‖w‖²
 *
 * for a per-example loss ℓ(z, y) of the linear output z. Its gradient is
 * (1/n) Σᵢ ℓ′(zᵢ, yᵢ)·(xᵢ, 1) + λ(w, 0) and its Hessian (1/n) Σᵢ ℓ″(zᵢ, yᵢ)·(xᵢ, 1)(xᵢ, 1)ᵀ + λ·diag(1…1, 0).
 * Everything here is float64; parameters are laid out as `[w₀ … w_{d−1}, b]`.
 */

/** A per-example loss of the linear output `z` and the target `y`, with its first two derivatives in `z`. */
export interface PointLoss {
  value(z: number, y: number): number;
  slope(z: number, y: number): number;
  curvature(z: number, y: number): number;
}

/** ℓ(z, y) = ½(z − y)²: least squares. */
export const squaredError: PointLoss = {
  value: (z, y) => 0.5 * (z - y) * (z - y),
  slope: (z, y) => z - y,
  curvature: () => 1,
};

/** σ(z) = 1 / (1 + e^−z), evaluated without overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + eᶻ), evaluated without overflow or loss of precision. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** ℓ(z, y) = log(1 + eᶻ) − y·z for y ∈ {0, 1}: the negative log-likelihood of logistic regression. */
export const logisticLoss: PointLoss = {
  value: (z, y) => softplus(z) - y * z,
  slope: (z, y) => sigmoid(z) - y,
  curvature: (z) => {
    const p = sigmoid(z);
    return p * (1 - p);
  },
};

/** A loss and an L2 penalty on the weights (not the bias). */
export interface LinearObjective {
  readonly loss: PointLoss;
  readonly l2: number;
}

/** Rows of a problem: `count` inputs of `features` values and one target per row. */
export interface LinearRows {
  readonly count: number;
  readonly features: number;
  readonly inputs: Float32Array;
  readonly targets: ArrayLike<number>;
}

/** The linear output wᵀx_row + b. */
export function linearOutput(theta: ArrayLike<number>, inputs: Float32Array, row: number, features: number): number {
  let z = theta[features]!;
  const offset = row * features;
  for (let j = 0; j < features; j++) z += theta[j]! * inputs[offset + j]!;
  return z;
}

/**
 * F(θ) over `rows`, and its gradient added into `gradient` (length d + 1) when given.
 * Returns the mean loss including the penalty.
 */
export function objectiveAndGradient(objective: LinearObjective, theta: ArrayLike<number>, rows: LinearRows, gradient?: Float64Array): number {
  const { count, features, inputs, targets } = rows;
  if (gradient) gradient.fill(0);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const z = linearOutput(theta, inputs, i, features);
    const y = targets[i]!;
    total += objective.loss.value(z, y);
    if (gradient) {
      const s = objective.loss.slope(z, y);
      const offset = i * features;
      for (let j = 0; j < features; j++) gradient[j]! += s * inputs[offset + j]!;
      gradient[features]! += s;
    }
  }
  const n = Math.max(count, 1);
  let penalty = 0;
  for (let j = 0; j < features; j++) penalty += theta[j]! * theta[j]!;
  if (gradient) {
    for (let j = 0; j <= features; j++) gradient[j] = gradient[j]! / n + (j < features ? objective.l2 * theta[j]! : 0);
  }
  return total / n + 0.5 * objective.l2 * penalty;
}

/** The Hessian of F at θ, (d+1)×(d+1) row-major. */
export function hessian(objective: LinearObjective, theta: ArrayLike<number>, rows: LinearRows): Float64Array {
  const { count, features, inputs, targets } = rows;
  const m = features + 1;
  const h = new Float64Array(m * m);
  const x = new Float64Array(m);
  x[features] = 1;
  for (let i = 0; i < count; i++) {
    const c = objective.loss.curvature(linearOutput(theta, inputs, i, features), targets[i]!);
    for (let j = 0; j < features; j++) x[j] = inputs[i * features + j]!;
    // Upper triangle only; mirrored below.
    for (let j = 0; j < m; j++) {
      const cx = c * x[j]!;
      for (let k = j; k < m; k++) h[j * m + k]! += cx * x[k]!;
    }
  }
  const n = Math.max(count, 1);
  for (let j = 0; j < m; j++) {
    for (let k = j; k < m; k++) {
      const v = h[j * m + k]! / n + (j === k && j < features ? objective.l2 : 0);
      h[j * m + k] = v;
      h[k * m + j] = v;
    }
  }
  return h;
}
