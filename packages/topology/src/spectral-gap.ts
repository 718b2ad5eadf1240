import type { Matrix } from './mixing-matrix.js';
import { symmetricEigenvalues } from './symmetric-eigenvalues.js';

/**
 * ρ = ‖W − 11ᵀ/n‖₂, the factor by which one round of x ← Wx shrinks the distance to the average
 * (for doubly-stochastic W). For symmetric W this is max(|λ₂(W)|, |λₙ(W)|), the quantity the
 * survey (Tang et al. 2020, §VIII) calls the "spectral gap" — an erratum: the gap is 1 − ρ, see
 * {@link spectralGap}. Computed as the square root of the largest eigenvalue of (W − J)ᵀ(W − J),
 * which also covers directed (non-symmetric) graphs.
 */
export function consensusRate(matrix: Matrix): number {
  const n = matrix.length;
  if (n <= 1) return 0;
  const centred = matrix.map((row) => row.map((v) => v - 1 / n));
  const gram = Array.from({ length: n }, (_, i) => {
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += centred[k]![i]! * centred[k]![j]!;
      out[j] = sum;
    }
    return out;
  });
  const eigenvalues = symmetricEigenvalues(gram);
  return Math.sqrt(Math.max(0, eigenvalues[n - 1]!));
}

/**
 * The spectral gap 1 − ρ of a mixing matrix (see {@link consensusRate}): 1 for exact averaging,
 * 0 when some disagreement never decays (a disconnected graph). Decentralized SGD's consensus
 * error is governed by it (Lian et al., "Can Decentralized Algorithms Outperform Centralized
 * Algorithms?", NeurIPS 2017).
 *
 * @example
 * ```ts
 * spectralGap(mixingMatrix(ring().build(64), 0))             // ≈ 0.003
 * spectralGap(mixingMatrix(torus2d().build(64), 0))          // ≈ 0.117
 * spectralGap(mixingMatrix(exponentialGraph().build(64), 0)) // ≈ 0.286
 * ```
 */
export function spectralGap(matrix: Matrix): number {
  return 1 - consensusRate(matrix);
}
