import type { Matrix } from './mixing-matrix.js';

/**
 * Eigenvalues of a real symmetric matrix, ascending, by the cyclic Jacobi method (rotate away
 * each off-diagonal element in turn until they are all below 1e-14 of the matrix norm; Golub &
 * Van Loan, "Matrix Computations", §8.5). O(n³) per sweep and a handful of sweeps: meant for
 * analysing mixing matrices of up to a few hundred ranks. The input is not modified.
 */
export function symmetricEigenvalues(matrix: Matrix): Float64Array {
  const n = matrix.length;
  const a = matrix.map((row) => Float64Array.from(row));
  let norm = 0;
  for (const row of a) for (const v of row) norm += v * v;
  const threshold = 1e-28 * Math.max(norm, Number.MIN_VALUE);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! * a[p]![q]!;
    if (off <= threshold) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Float64Array.from(a.map((row, i) => row[i]!)).sort();
}
