// The α-β (Hockney) cost of the ring allreduce the compositions use, and a least-squares fit of α
// and β from measured allreduce times. Ring allreduce (Patarasuk & Yuan 2009) on n ranks and M
// bytes: 2(n − 1) steps, each sending M/n bytes, so T(M) = 2(n − 1)·α + 2(n − 1)/n · M·β.

/** Ring-allreduce time in ms for `bytes` on `ranks` ranks over links of `latencyMs` and `bytesPerMs`. */
export function ringAllreduceMs(bytes, ranks, latencyMs, bytesPerMs) {
  if (ranks <= 1) return 0;
  return 2 * (ranks - 1) * latencyMs + ((2 * (ranks - 1)) / ranks) * (bytes / bytesPerMs);
}

/**
 * Fits T = a + b·M to `samples` ([{ bytes, ms }]) by least squares and reads α = a / (2(n − 1)) and
 * B = 2(n − 1)/n / b off the ring formula. Returns α (ms), B (bytes per ms and Gbit/s) and the fit's
 * largest relative residual.
 */
export function fitRingAlphaBeta(samples, ranks) {
  const k = samples.length;
  if (k < 2) throw new Error('fitRingAlphaBeta needs at least two sizes');
  const mx = samples.reduce((s, p) => s + p.bytes, 0) / k;
  const my = samples.reduce((s, p) => s + p.ms, 0) / k;
  const sxx = samples.reduce((s, p) => s + (p.bytes - mx) ** 2, 0);
  const sxy = samples.reduce((s, p) => s + (p.bytes - mx) * (p.ms - my), 0);
  const b = sxy / sxx;
  const a = my - b * mx;
  const latencyMs = Math.max(0, a / (2 * (ranks - 1)));
  const bytesPerMs = ((2 * (ranks - 1)) / ranks) / b;
  const worst = Math.max(...samples.map((p) => Math.abs(a + b * p.bytes - p.ms) / p.ms));
  return { latencyMs, bytesPerMs, bandwidthGbps: bytesPerMs / 125_000, interceptMs: a, msPerByte: b, maxRelativeResidual: worst };
}
