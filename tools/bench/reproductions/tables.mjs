#!/usr/bin/env node
// Markdown tables of the seed reproductions, from the JSON run.mjs wrote, for docs/benchmarks.md:
//   node tools/bench/reproductions/tables.mjs [results/reproductions.json]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const report = JSON.parse(readFileSync(process.argv[2] ?? join(here, 'results', 'reproductions.json'), 'utf8'));

const pct = (x) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(2)} %`);
const sec = (ms) => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const mb = (b) => (b === null || b === undefined ? '-' : `${(b / 1e6).toFixed(2)} MB`);
const kb = (b) => (b === null || b === undefined ? '-' : b >= 1e6 ? `${(b / 1e6).toFixed(2)} MB` : `${(b / 1e3).toFixed(1)} kB`);
const num = (x, d = 4) => (x === null || x === undefined ? '-' : x.toFixed(d));
const times = (x) => (x === null || x === undefined ? '-' : `${x.toFixed(2)}x`);
const load = (r) => `${r.loadAverage.start[0].toFixed(1)}–${r.loadAverage.end[0].toFixed(1)}`;
const table = (header, rows) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const out = (text = '') => console.log(text);

const columns = {
  a: [
    ['config', (r) => `\`${r.name}\``],
    ['syncs', (r) => String(r.syncCount)],
    ['sent per rank', (r) => mb(r.meanBytesSentPerRank)],
    ['train loss', (r) => num(r.trainLoss)],
    ['test acc', (r) => pct(r.testAccuracy)],
    ['training time', (r) => sec(r.trainingMs)],
    ['speedup vs full SGD', (r) => times(r.speedupVsFullSgd)],
    [`to ${pct(report.setup.targetAccuracy).replace('.00 ', ' ')}`, (r) => sec(r.timeToTargetMs)],
    ['load', load],
  ],
  b: [
    ['config', (r) => `\`${r.name}\``],
    ['syncs', (r) => String(r.syncCount)],
    ['sent per rank', (r) => mb(r.meanBytesSentPerRank)],
    ['train loss', (r) => num(r.trainLoss)],
    ['test acc', (r) => pct(r.testAccuracy)],
    ['training time', (r) => sec(r.trainingMs)],
    ['load', load],
  ],
  c: [
    ['config', (r) => `\`${r.name}\``],
    ['syncs', (r) => String(r.syncCount)],
    ['time per epoch', (r) => sec(r.meanEpochMs)],
    ['train loss', (r) => num(r.trainLoss)],
    ['test acc', (r) => pct(r.testAccuracy)],
    ['sent per rank', (r) => mb(r.meanBytesSentPerRank)],
    ['load', load],
  ],
};

for (const [id, group] of Object.entries(report.groups)) {
  for (const [net, rows] of Object.entries(group.nets)) {
    out(`**(${id}) ${group.title}, ${net}**`);
    out();
    if (id === 'd') {
      const dense = rows.find((r) => r.name === 'full-sgd');
      out(
        table(
          ['compressor', 'bytes per step (rank 0)', 'vs dense', 'sent per rank', 'train loss', 'test acc', 'time per epoch', 'load'],
          rows.map((r) => [
            r.name === 'full-sgd' ? 'none (`full-sgd`)' : `\`${r.name.replace(/^compressor-/, '')}\``,
            kb(r.stepBytesPerStep),
            dense ? `${(r.stepBytesPerStep / dense.stepBytesPerStep).toFixed(3)}` : '-',
            mb(r.meanBytesSentPerRank),
            num(r.trainLoss),
            pct(r.testAccuracy),
            sec(r.meanEpochMs),
            load(r),
          ]),
        ),
      );
    } else {
      out(table(columns[id].map((c) => c[0]), rows.map((r) => columns[id].map((c) => c[1](r)))));
    }
    out();
  }
}
out('**The papers\' claims next to ours**');
out();
out(table(['paper', 'claim', 'network', 'ours', 'verdict'], report.claims.map((c) => [c.paper, c.claim, c.net ?? '-', c.ours, `**${c.verdict}**`])));
