/** Number formats shared by the progress line and the summary. */

/** `1.23 MB`, `456 kB`, `789 B` (decimal units, as network rates are quoted). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '-';
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(2)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${Math.round(bytes)} B`;
}

/** `12.3 s`, `450 ms`, `2 min 05 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** `84.12%`. */
export function formatPercent(fraction: number | undefined, digits = 2): string {
  return fraction === undefined || !Number.isFinite(fraction) ? '-' : `${(fraction * 100).toFixed(digits)}%`;
}

/** Four significant digits, or `-`. */
export function formatLoss(loss: number | undefined): string {
  if (loss === undefined || !Number.isFinite(loss)) return '-';
  return Math.abs(loss) >= 1e-3 && Math.abs(loss) < 1e4 ? loss.toFixed(4) : loss.toExponential(3);
}

/** `12,345`. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
