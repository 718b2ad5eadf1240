#!/usr/bin/env node
// Scale by simulation (issue #9): extrapolates the seed reproductions (their configs in
// tools/bench/reproductions/configs: Fashion-MNIST MLP 784-256-10, batch 32 per rank) to 16–256
// ranks on transport-local's simulated α-β network at 1 Gbit/s and 100 Mbit/s, over the whole
// 60,000-example training set. See docs/benchmarks.md, "Scale by simulation".
//
//   npx nx run-many -t build                         # the script loads every package's dist
//   node tools/bench/scale/run.mjs [--json FILE] [--ranks 16,32,64,128,256] [--networks 1gbit,100mbit]
//        [--compositions bsp,localSgd,…] [--accuracy-ranks 16] [--compute-ms MS] [--plots DIR]
//   node tools/bench/scale/run.mjs --merge A.json,B.json [--json FILE]   # rows of several runs (e.g. one per network, run in parallel)
//
// 1. Compute: the tfjs MLP's forward + backward is timed on this machine (lib/compute-time.mjs),
//    unless --compute-ms gives it; every modelled step spends that much virtual time.
// 2. Time and bytes (every rank count): the communication schedule — the real trainer, plugins
//    and ring collectives on the simulated network with the MLP's real message sizes, a cheap
//    proxy gradient and compute as a virtual delay (lib/simulate.mjs, mode `schedule`).
// 3. Loss and accuracy (--accuracy-ranks only, default 16): one epoch of real tfjs training per
//    rank on the same simulated network (mode `training`); larger counts need one tfjs model and
//    one data set per rank (256 ranks: 15 GB, 3.5 min), so they are time-only.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fashionMnist } from '@syncopate/data';
import { ringAllreduceMs } from './lib/alpha-beta.mjs';
import { COMPOSITIONS, NETWORKS, reproductionConfig } from './lib/compositions.mjs';
import { loadAverage, measureComputeMs } from './lib/compute-time.mjs';
import { accuracyTable, addSpeedups, markdownTable, writePlots } from './lib/report.mjs';
import { simulateSchedule, simulateTraining, stepsPerEpoch } from './lib/simulate.mjs';
import { mlpLayout } from './lib/proxy-model.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    json: { type: 'string', default: join(here, 'results', 'summary.json') },
    plots: { type: 'string' },
    ranks: { type: 'string', default: '16,32,64,128,256' },
    networks: { type: 'string', default: Object.keys(NETWORKS).join(',') },
    compositions: { type: 'string', default: Object.keys(COMPOSITIONS).join(',') },
    'accuracy-ranks': { type: 'string', default: '16' },
    'compute-ms': { type: 'string' },
    merge: { type: 'string' },
  },
});
const list = (s) => (s ? s.split(',').filter(Boolean) : []);
const ranksList = list(values.ranks).map(Number);
const networks = list(values.networks);
const names = list(values.compositions);
const accuracyRanks = list(values['accuracy-ranks']).map(Number);
for (const n of networks) if (!NETWORKS[n]) throw new Error(`--networks: unknown network '${n}'; known: ${Object.keys(NETWORKS).join(', ')}`);
for (const n of names) if (!COMPOSITIONS[n]) throw new Error(`--compositions: unknown '${n}'; known: ${Object.keys(COMPOSITIONS).join(', ')}`);
for (const n of [...ranksList, ...accuracyRanks]) if (!Number.isInteger(n) || n < 1) throw new Error(`--ranks/--accuracy-ranks: ${n} is not a positive integer`);

const plotsDir = values.plots ?? dirname(values.json);
mkdirSync(dirname(values.json), { recursive: true });
mkdirSync(plotsDir, { recursive: true });
if (values.merge) {
  const parts = list(values.merge).map((f) => JSON.parse(readFileSync(f, 'utf8')));
  const merged = {
    ...parts[0],
    command: parts.map((p) => p.command).join(' & '),
    startedAt: parts.map((p) => p.startedAt).sort()[0],
    finishedAt: parts.map((p) => p.finishedAt).sort().at(-1),
    loadAverage: parts.map((p) => p.loadAverage),
    networks: Object.assign({}, ...parts.map((p) => p.networks)),
    compositions: Object.assign({}, ...parts.map((p) => p.compositions)),
    // A later part's row replaces an earlier one for the same mode, composition, ranks and network.
    rows: addSpeedups([...new Map(parts.flatMap((p) => p.rows).map((r) => [`${r.mode}/${r.composition}/${r.ranks}/${r.network}`, r])).values()]),
  };
  merged.plots = writePlots(merged.rows, plotsDir);
  writeFileSync(values.json, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(`${markdownTable(merged.rows)}\n\n${accuracyTable(merged.rows)}\n\nwrote ${values.json} and ${merged.plots.length} plots in ${plotsDir}`);
  process.exit(0);
}
const startedAt = new Date().toISOString();
const loadAtStart = loadAverage();
const compute = values['compute-ms'] !== undefined ? { medianMs: Number(values['compute-ms']), how: 'given with --compute-ms' } : await measureComputeMs();
console.log(`compute per step: ${compute.medianMs.toFixed(2)} ms (${compute.how}), load ${JSON.stringify(compute.loadAverage ?? loadAtStart)}`);
const dataset = fashionMnist({ flatten: true });
const parameters = mlpLayout([256]).totalLength;
const rows = [];

function save() {
  addSpeedups(rows);
  const summary = {
    benchmark: 'scale by simulation (issue #9)',
    command: `node tools/bench/scale/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt,
    finishedAt: new Date().toISOString(),
    loadAverage: { start: loadAtStart, end: loadAverage() },
    model: `MLP 784-256-10 (${parameters} parameters, ${parameters * 4} bytes of float32 gradient); batch, optimizer and plugins from each seed reproduction's config`,
    data: 'Fashion-MNIST, 60,000 training examples, global reshuffle per epoch, drop-last batches',
    compute,
    networks: Object.fromEntries(networks.map((n) => [n, NETWORKS[n]])),
    compositions: Object.fromEntries(names.map((n) => [n, COMPOSITIONS[n]])),
    modelled:
      'schedule rows: real trainer + plugins + ring collectives on the simulated α-β network (transport-local), MLP-shaped proxy gradients, compute = a virtual delay of compute.medianMs per step; training rows: real tfjs training on the same network with the same compute delay. Time per epoch = (virtual time of a window of whole steps) / steps × steps per epoch; schedule windows are whole averaging periods of the steady state (compositions[].window), training windows the whole epoch.',
    rows,
  };
  writeFileSync(values.json, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

for (const networkName of networks) {
  const network = { name: networkName, ...NETWORKS[networkName] };
  for (const name of names) {
    for (const ranks of ranksList) {
      const t0 = performance.now();
      const row = await simulateSchedule({ name, ranks, network, computeMs: compute.medianMs, dataset });
      if (name === 'bsp') row.alphaBetaAllreduceMs = ringAllreduceMs(parameters * 4, ranks, network.latencyMs, network.bandwidthGbps * 125_000);
      row.simulationSeconds = (performance.now() - t0) / 1000;
      rows.push(row);
      console.log(`${networkName} ${name} ${ranks} ranks: ${(row.epochMs / 1000).toFixed(3)} s/epoch, ${(row.communicationMsPerStep).toFixed(2)} ms comm/step, ${(row.bytesPerRankPerEpoch / 1e6).toFixed(2)} MB/rank/epoch (${row.simulationSeconds.toFixed(1)} s)`);
      save();
    }
  }
}
for (const ranks of accuracyRanks) {
  for (const name of names) {
    // Only HPSGD's schedule depends on the network ("sync whenever the last one has finished");
    // the others train the same parameters on any network, so one network gives their accuracy.
    for (const networkName of name === 'hpsgd' ? networks : networks.slice(0, 1)) {
      const network = { name: networkName, ...NETWORKS[networkName] };
      const t0 = performance.now();
      const perEpoch = stepsPerEpoch(dataset, ranks, reproductionConfig(name).batchSize, reproductionConfig(name).seed);
      const row = await simulateTraining({ name, ranks, network, computeMs: compute.medianMs, perEpoch });
      row.simulationSeconds = (performance.now() - t0) / 1000;
      rows.push(row);
      console.log(`training ${networkName} ${name} ${ranks} ranks: test accuracy ${(100 * row.testAccuracy).toFixed(2)} %, ${(row.epochMs / 1000).toFixed(3)} s/epoch (${row.simulationSeconds.toFixed(1)} s)`);
      save();
    }
  }
}
const summary = save();
summary.plots = writePlots(rows, plotsDir);
writeFileSync(values.json, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`\n${markdownTable(rows)}\n\n${accuracyTable(rows)}\n\nwrote ${values.json} and ${summary.plots.length} plots in ${plotsDir}`);
