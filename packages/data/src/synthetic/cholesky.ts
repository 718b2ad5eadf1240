/**
 * Solve `A x = b` for a symmetric positive definite `A` (m×m, row-major, float64) by Cholesky
 * factorisation `A = L Lᵀ` and two triangular solves. Returns `undefined` when `A` is not
 * (numerically) positive definite, so the caller can say why in its own words.
 * `A` and `b` are left untouched.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, m: number): Float64Array | undefined {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * m + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * m + k]! * l[j * m + k]!;
      if (i === j) {
        // Relative pivot test: a pivot lost to rounding means a singular system.
        if (!(sum > 1e-12 * Math.abs(a[i * m + i]!))) return undefined;
        l[i * m + i] = Math.sqrt(sum);
      } else {
        l[i * m + j] = sum / l[j * m + j]!;
      }
    }
  }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * m + k]! * y[k]!;
    y[i] = sum / l[i * m + i]!;
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < m; k++) sum -= l[k * m + i]! * x[k]!;
    x[i] = sum / l[i * m + i]!;
  }
  return x;
}
