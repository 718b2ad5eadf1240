import type { Matrix } from './mixing-matrix.js';

/** What {@link checkStochasticity} found. */
export interface Stochasticity {
  readonly nonNegative: boolean;
  /** Every row sums to 1: x ← Wx is a weighted average, so consensus is a fixed point. */
  readonly rowStochastic: boolean;
  /** Every column sums to 1: Σ_i x_i is preserved (push-sum needs this). */
  readonly columnStochastic: boolean;
  /** Both: the average is preserved and consensus is a fixed point (gossip averaging needs this). */
  readonly doublyStochastic: boolean;
  readonly symmetric: boolean;
  /** Largest |row sum − 1| and |column sum − 1|. */
  readonly maxRowError: number;
  readonly maxColumnError: number;
}

/**
 * Check the stochasticity of a mixing matrix within `tolerance` (default 1e-12). The gossip
 * assumptions of the survey (Tang et al. 2020, §VIII) are W = Wᵀ and W·1 = 1 (printed there as
 * "W1 = W", an erratum), i.e. symmetric and doubly stochastic.
 *
 * @example
 * ```ts
 * checkStochasticity(mixingMatrix(ring().build(8), 0)).doublyStochastic // true
 * ```
 */
export function checkStochasticity(matrix: Matrix, tolerance = 1e-12): Stochasticity {
  const n = matrix.length;
  let nonNegative = true;
  let symmetric = true;
  let maxRowError = 0;
  const columnSums = new Float64Array(n);
  matrix.forEach((row, i) => {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const v = row[j]!;
      if (v < -tolerance) nonNegative = false;
      if (Math.abs(v - matrix[j]![i]!) > tolerance) symmetric = false;
      sum += v;
      columnSums[j] += v;
    }
    maxRowError = Math.max(maxRowError, Math.abs(sum - 1));
  });
  const maxColumnError = columnSums.reduce((m, s) => Math.max(m, Math.abs(s - 1)), 0);
  const rowStochastic = nonNegative && maxRowError <= tolerance;
  const columnStochastic = nonNegative && maxColumnError <= tolerance;
  return { nonNegative, rowStochastic, columnStochastic, doublyStochastic: rowStochastic && columnStochastic, symmetric, maxRowError, maxColumnError };
}
