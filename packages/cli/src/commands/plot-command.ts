import { mkdirSync } from 'node:fs';
import type { Command } from '../main.js';
import { parseCommandArgs } from '../main.js';
import { UsageError } from '../cli-error.js';
import { plotRuns, readMetrics, runLabels } from './plot.js';

/** `syncopate plot`: training curves from metrics JSONL files. */
export const plotCommand: Command = {
  name: 'plot',
  summary: 'draw loss/accuracy curves (SVG or PNG) from metrics JSONL files',
  usage: [
    'usage: syncopate plot <metrics.jsonl>... [--out DIR] [--format svg|png]',
    '',
    'Writes loss-vs-steps, loss-vs-time, loss-vs-bytes and accuracy-vs-time charts,',
    'one curve per file (rank 0 of each run).',
    '',
    '  --out DIR        where to write the charts (default: plots)',
    '  --format FORMAT  svg (default) or png',
    '  --smooth N       plot the moving average of the loss over N steps (default 1: raw)',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseCommandArgs('plot', argv, { out: { type: 'string', default: 'plots' }, format: { type: 'string', default: 'svg' }, smooth: { type: 'string', default: '1' } }, true);
    if (positionals.length === 0) throw new UsageError('plot: give at least one metrics JSONL file');
    const format = values.format as string;
    if (format !== 'svg' && format !== 'png') throw new UsageError(`plot: --format must be svg or png, got '${format}'`);
    const smooth = Number(values.smooth);
    if (!Number.isInteger(smooth) || smooth < 1) throw new UsageError(`plot: --smooth must be a positive integer, got '${String(values.smooth)}'`);
    const labels = runLabels(positionals);
    const runs = positionals.map((file, i) => ({ ...readMetrics(file), label: labels[i]! }));
    mkdirSync(values.out as string, { recursive: true });
    for (const file of plotRuns(runs, values.out as string, format, smooth)) console.log(`wrote ${file}`);
    return 0;
  },
};
