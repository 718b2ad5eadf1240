// Tables and plots of a scale run: time per epoch and speedup over full SGD against ranks, one
// chart per network, drawn with the cli's SVG line chart (x axis: log₂ ranks).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineChart } from '@syncopate/cli';
import { COMPOSITIONS, NETWORKS } from './compositions.mjs';

/** Speedup of every row over full SGD (`bsp`) at the same ranks and network, added in place. */
export function addSpeedups(rows) {
  for (const row of rows) {
    const base = rows.find((r) => r.mode === row.mode && r.composition === 'bsp' && r.ranks === row.ranks && r.network === row.network);
    if (base) row.speedupOverFullSgd = base.epochMs / row.epochMs;
  }
  return rows;
}

function seriesOf(rows, network, value) {
  return Object.keys(COMPOSITIONS)
    .map((name) => ({
      label: COMPOSITIONS[name].label,
      points: rows
        .filter((r) => r.mode === 'schedule' && r.network === network && r.composition === name && value(r) !== undefined)
        .sort((a, b) => a.ranks - b.ranks)
        .map((r) => [Math.log2(r.ranks), value(r)]),
    }))
    .filter((s) => s.points.length > 0);
}

/** Writes `epoch-time-<net>.svg` and `speedup-<net>.svg` into `dir`; returns the file names. */
export function writePlots(rows, dir) {
  const files = [];
  for (const network of new Set(rows.filter((r) => r.mode === 'schedule').map((r) => r.network))) {
    const label = NETWORKS[network]?.label ?? network;
    const time = seriesOf(rows, network, (r) => r.epochMs / 1000);
    const speed = seriesOf(rows, network, (r) => r.speedupOverFullSgd);
    const charts = [
      [`epoch-time-${network}.svg`, time, { title: `Modelled time per epoch, ${label} (simulated α-β network)`, xLabel: 'log2 ranks', yLabel: 's per epoch', logY: true }],
      [`speedup-${network}.svg`, speed, { title: `Speedup over full SGD, ${label}`, xLabel: 'log2 ranks', yLabel: 'speedup (×)' }],
    ];
    for (const [file, series, options] of charts) {
      if (series.length === 0) continue;
      writeFileSync(join(dir, file), lineChart(series, { width: 760, height: 440, ...options }));
      files.push(file);
    }
  }
  return files;
}

const fmt = (x, digits = 2) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));

/** A Markdown table: one row per composition and network, one column per rank count (s per epoch, speedup). */
export function markdownTable(rows) {
  const ranks = [...new Set(rows.filter((r) => r.mode === 'schedule').map((r) => r.ranks))].sort((a, b) => a - b);
  const lines = [`| network | composition | ${ranks.map((n) => `${n} ranks`).join(' | ')} |`, `|---|---|${ranks.map(() => '---').join('|')}|`];
  for (const network of new Set(rows.map((r) => r.network))) {
    for (const name of Object.keys(COMPOSITIONS)) {
      const cells = ranks.map((n) => {
        const r = rows.find((x) => x.mode === 'schedule' && x.network === network && x.composition === name && x.ranks === n);
        return r ? `${fmt(r.epochMs / 1000)} s (${fmt(r.speedupOverFullSgd)}×)` : '–';
      });
      if (cells.some((c) => c !== '–')) lines.push(`| ${NETWORKS[network]?.label ?? network} | ${COMPOSITIONS[name].label} | ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

const pct = (x) => (x === undefined ? '–' : `${x > 0 ? '+' : ''}${(100 * x).toFixed(1)} %`);

/** A Markdown table of a validation summary: measured vs predicted time per epoch, and the errors. */
export function validationTable(validation) {
  const lines = [
    '| network | composition | measured s/epoch | predicted: nominal | calibrated α-β | calibrated + measured compute | bytes error |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of validation.cases) {
    const cell = (k) => (c.predictions[k] ? `${fmt(c.predictions[k].epochMs / 1000)} s (${pct(c.errors[k].epochTime)})` : '–');
    lines.push(
      `| ${NETWORKS[c.rate]?.label ?? c.rate} | ${COMPOSITIONS[c.composition]?.label ?? c.composition} | ${fmt(c.measured.epochMs / 1000)} | ${cell('nominal')} | ${cell('calibrated')} | ${cell('calibratedWithMeasuredCompute')} | ${pct(c.errors.nominal.bytes)} |`,
    );
  }
  return lines.join('\n');
}

/** A Markdown table of the `training` rows: test loss and accuracy after the run, with its modelled time. */
export function accuracyTable(rows) {
  const lines = ['| ranks | network | composition | test accuracy | test loss | syncs | modelled s/epoch |', '|---|---|---|---|---|---|---|'];
  for (const r of rows.filter((x) => x.mode === 'training')) {
    lines.push(
      `| ${r.ranks} | ${NETWORKS[r.network]?.label ?? r.network} | ${COMPOSITIONS[r.composition]?.label ?? r.composition} | ${fmt(100 * r.testAccuracy)} % | ${fmt(r.testLoss, 4)} | ${r.totalSyncs} | ${fmt(r.epochMs / 1000)} |`,
    );
  }
  return lines.join('\n');
}
