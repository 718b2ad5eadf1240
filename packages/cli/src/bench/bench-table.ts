/** The table `syncopate bench` prints at the end: one row per config. */
import { formatBytes, formatCount, formatDuration, formatLoss, formatPercent } from '../report/format.js';
import { textTable } from '../report/text-table.js';
import type { BenchRun } from './bench-summary.js';

/** Render the runs as a plain-text table; `target` adds a time-to-accuracy column. */
export function benchTable(runs: readonly BenchRun[], target?: number): string {
  const header = ['config', 'syncs', 'sent/rank', 'bytes/step', 'train loss', 'test acc', 'wall', 'per epoch', ...(target === undefined ? [] : [`to ${formatPercent(target, 0)}`]), 'status'];
  const rows = runs.map((r) => [
    r.name,
    formatCount(r.syncCount),
    formatBytes(r.meanBytesSentPerRank),
    formatBytes(r.stepBytesPerStep),
    formatLoss(r.trainLoss ?? undefined),
    formatPercent(r.testAccuracy ?? undefined),
    formatDuration(r.wallMs),
    formatDuration(r.meanEpochMs ?? NaN),
    ...(target === undefined ? [] : [formatDuration(r.timeToTargetMs ?? NaN)]),
    r.status,
  ]);
  return textTable(header, rows);
}
