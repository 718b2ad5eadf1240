import { mkdirSync } from 'node:fs';
import type { Command } from '../main.js';
import { parseCommandArgs } from '../main.js';
import { UsageError } from '../cli-error.js';
import { plotRuns, readMetrics } from './plot.js';

export const plotCommand: Command = {
  name: 'plot',
  summary: 'draw loss/accuracy curves (SVG) from metrics JSONL files',
  usage: [
    'usage: syncopate plot <metrics.jsonl>... [--out DIR]',
    '',
    'Writes loss-vs-steps.svg, loss-vs-time.svg, loss-vs-bytes.svg and accuracy-vs-time.svg,',
    'one curve per file (rank 0 of each run).',
    '',
    '  --out DIR   where to write the charts (default: plots)',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseCommandArgs('plot', argv, { out: { type: 'string', default: 'plots' } }, true);
    if (positionals.length === 0) throw new UsageError('plot: give at least one metrics JSONL file');
    const runs = positionals.map(readMetrics);
    mkdirSync(values.out as string, { recursive: true });
    for (const file of plotRuns(runs, values.out as string)) console.log(`wrote ${file}`);
    return 0;
  },
};
