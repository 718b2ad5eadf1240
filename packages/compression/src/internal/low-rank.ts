/**
 * The dense linear algebra of PowerSGD on a flat buffer viewed as a zero-padded `rows × cols`
 * matrix M (row-major, M[i][j] = x[i·cols + j]). P is rows × rank and Q is cols × rank, both
 * row-major. Sums run in float64.
 */

/** The near-square shape PyTorch's batched PowerSGD uses for a flat buffer of `length` elements. */
export function matrixShape(length: number): { rows: number; cols: number } {
  const cols = Math.max(1, Math.ceil(Math.sqrt(length)));
  return { rows: Math.max(1, Math.ceil(length / cols)), cols };
}

/** P = M Q. */
export function multiply(x: Float32Array, rows: number, cols: number, q: Float32Array, rank: number, p: Float32Array): void {
  const acc = new Float64Array(rank);
  for (let i = 0; i < rows; i++) {
    acc.fill(0);
    const rowStart = i * cols;
    const end = Math.min(cols, x.length - rowStart);
    for (let j = 0; j < end; j++) {
      const m = x[rowStart + j]!;
      if (m === 0) continue;
      const qRow = j * rank;
      for (let k = 0; k < rank; k++) acc[k] += m * q[qRow + k]!;
    }
    for (let k = 0; k < rank; k++) p[i * rank + k] = acc[k]!;
  }
}

/** Q = Mᵀ P. */
export function multiplyTransposed(x: Float32Array, rows: number, cols: number, p: Float32Array, rank: number, q: Float32Array): void {
  const acc = new Float64Array(cols * rank);
  for (let i = 0; i < rows; i++) {
    const rowStart = i * cols;
    const end = Math.min(cols, x.length - rowStart);
    const pRow = i * rank;
    for (let j = 0; j < end; j++) {
      const m = x[rowStart + j]!;
      if (m === 0) continue;
      for (let k = 0; k < rank; k++) acc[j * rank + k] += m * p[pRow + k]!;
    }
  }
  for (let t = 0; t < acc.length; t++) q[t] = acc[t]!;
}

/** out = P Qᵀ, cut to out.length. */
export function reconstruct(p: Float32Array, q: Float32Array, rows: number, cols: number, rank: number, out: Float32Array): void {
  for (let i = 0; i < rows; i++) {
    const rowStart = i * cols;
    const end = Math.min(cols, out.length - rowStart);
    const pRow = i * rank;
    for (let j = 0; j < end; j++) {
      let sum = 0;
      for (let k = 0; k < rank; k++) sum += p[pRow + k]! * q[j * rank + k]!;
      out[rowStart + j] = sum;
    }
  }
}

/** Orthonormalise the columns of P in place (modified Gram–Schmidt); a column that vanishes stays zero. */
export function orthonormalise(p: Float32Array, rows: number, rank: number): void {
  for (let k = 0; k < rank; k++) {
    for (let earlier = 0; earlier < k; earlier++) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += p[i * rank + k]! * p[i * rank + earlier]!;
      for (let i = 0; i < rows; i++) p[i * rank + k] -= dot * p[i * rank + earlier]!;
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += p[i * rank + k]! ** 2;
    norm = Math.sqrt(norm);
    const scale = norm > 1e-30 ? 1 / norm : 0;
    for (let i = 0; i < rows; i++) p[i * rank + k] *= scale;
  }
}
