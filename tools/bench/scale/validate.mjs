#!/usr/bin/env node
// Validation of the scale model (issue #9): predicts the seed reproductions' measured 4-rank runs
// (tools/bench/reproductions, `syncopate bench` on a netlab of 4 namespaces shaped with tc tbf to
// 1 Gbit/s and 100 Mbit/s, one MPI rank per namespace) with the method run.mjs extrapolates with,
// and reports the error of the time per epoch and of the bytes. α and β are calibrated on a netlab
// of our own with an allreduce probe (probe-rank.mjs: the same `nativeCollective` allreduce), so
// every prediction is made with the nominal network (α = 0.05 ms, B = the tbf rate), with the
// calibrated one, and with the calibrated one plus the compute time per step of the measured run.
//
//   npx nx run-many -t build
//   node tools/bench/reproductions/run.mjs          # the measured runs (part A), if not there yet
//   sudo nice -n -10 node tools/bench/scale/validate.mjs [--json FILE] [--rates 1gbit,100mbit]
//        [--compositions bsp,localSgd,…] [--compute-ms MS] [--no-probe | --probes-from validation.json]
//
// --compute-ms defaults to the figure in results/summary.json (what run.mjs measured). On a shared
// machine run it at nice -10 (the probe's ranks inherit it), as the other network benchmarks do.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fashionMnist } from '@syncopate/data';
import { withNetlab } from '../../netlab/netlab.mjs';
import { fitRingAlphaBeta } from './lib/alpha-beta.mjs';
import { COMPOSITIONS, NETWORKS, reproductionConfig } from './lib/compositions.mjs';
import { loadAverage } from './lib/compute-time.mjs';
import { validationTable } from './lib/report.mjs';
import { simulateSchedule } from './lib/simulate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const measuredDir = join(here, '..', 'reproductions', 'results');
const { values } = parseArgs({
  options: {
    json: { type: 'string', default: join(here, 'results', 'validation.json') },
    rates: { type: 'string', default: '1gbit,100mbit' },
    compositions: { type: 'string', default: Object.keys(COMPOSITIONS).join(',') },
    'compute-ms': { type: 'string' },
    'probe-bytes': { type: 'string', default: '4096,65536,262144,814120,2000000' },
    'no-probe': { type: 'boolean', default: false },
    'probes-from': { type: 'string' },
  },
});
const RANKS = 4;
const rates = values.rates.split(',');
const names = values.compositions.split(',');
for (const r of rates) if (!NETWORKS[r]) throw new Error(`--rates: '${r}' is not one of ${Object.keys(NETWORKS).join(', ')}`);
for (const n of names) if (!COMPOSITIONS[n]) throw new Error(`--compositions: unknown '${n}'`);
const computeMs = values['compute-ms'] !== undefined ? Number(values['compute-ms']) : JSON.parse(readFileSync(join(here, 'results', 'summary.json'), 'utf8')).compute.medianMs;
const dataset = fashionMnist({ flatten: true });
const startedAt = new Date().toISOString();
const loadAtStart = loadAverage();

/** Rank 0's step events of a measured run → per-epoch training time, bytes, syncs and compute. */
function measuredFrom(file, epochs) {
  const steps = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type === 'step');
  const sum = (f) => steps.reduce((s, e) => s + f(e), 0);
  const compute = steps.map((e) => e.timings.compute).sort((a, b) => a - b);
  return {
    steps: steps.length,
    epochMs: sum((e) => e.timings.total) / epochs,
    communicationAndWaitMsPerStep: sum((e) => e.timings.communication + e.timings.wait) / steps.length,
    bytesPerRankPerEpoch: sum((e) => e.bytesSent) / epochs,
    syncsPerEpoch: steps.filter((e) => e.synced).length / epochs,
    medianComputeMs: compute[Math.floor(compute.length / 2)],
  };
}

/** The ring-allreduce probe on a fresh 4-host lab at `rate`: per-size times and the fitted α, β. */
async function probe(rate) {
  return withNetlab({ hosts: RANKS, rate, timeoutS: 600 }, async (lab) => {
    const load = loadAverage();
    const run = await lab.mpirun([process.execPath, join(here, 'probe-rank.mjs'), values['probe-bytes'], '11'], { np: RANKS, timeoutS: 300 });
    const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`probe printed no RESULT line:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
    const result = JSON.parse(line.slice(7));
    return { ...result, fit: fitRingAlphaBeta(result.samples, RANKS), loadAverage: load };
  });
}

const relative = (predicted, measured) => (predicted - measured) / measured;
const probes = values['probes-from'] ? JSON.parse(readFileSync(values['probes-from'], 'utf8')).probes : {};
const cases = [];
for (const rate of rates) {
  const summaryFile = join(measuredDir, rate, 'summary.json');
  if (!existsSync(summaryFile)) throw new Error(`no measured runs at ${rate}: ${summaryFile} is missing (run tools/bench/reproductions/run.mjs first)`);
  const measuredRuns = JSON.parse(readFileSync(summaryFile, 'utf8')).runs;
  if (!values['no-probe'] && !probes[rate]) {
    probes[rate] = await probe(rate);
  }
  if (probes[rate]) {
    const { fit } = probes[rate];
    console.log(`${rate}: calibrated α = ${fit.latencyMs.toFixed(3)} ms, B = ${fit.bandwidthGbps.toFixed(3)} Gbit/s (worst fit residual ${(100 * fit.maxRelativeResidual).toFixed(1)} %)`);
  }
  const nominal = { name: rate, ...NETWORKS[rate] };
  const calibrated = probes[rate] && { name: `${rate}-calibrated`, latencyMs: probes[rate].fit.latencyMs, bandwidthGbps: probes[rate].fit.bandwidthGbps };
  for (const name of names) {
    const file = COMPOSITIONS[name].file.replace(/\.json$/, '');
    const run = measuredRuns.find((r) => r.name === file && r.status === 'ok');
    if (!run || !existsSync(run.metrics)) {
      console.log(`${rate} ${name}: no measured run (${file}) in ${summaryFile}; skipped`);
      continue;
    }
    const measured = { ...measuredFrom(run.metrics, run.epochs), benchMeanEpochMs: run.meanEpochMs, loadAverage: run.loadAverage };
    const config = { ...reproductionConfig(name), transport: 'simulated' };
    const predict = (network, ms) => simulateSchedule({ name, ranks: RANKS, network, computeMs: ms, dataset, perEpoch: run.stepsPerEpoch, config });
    const predictions = { nominal: await predict(nominal, computeMs) };
    if (calibrated) {
      predictions.calibrated = await predict(calibrated, computeMs);
      predictions.calibratedWithMeasuredCompute = await predict(calibrated, measured.medianComputeMs);
    }
    predictions.nominalWithMeasuredCompute = await predict(nominal, measured.medianComputeMs);
    const errors = Object.fromEntries(
      Object.entries(predictions).map(([k, p]) => [k, { epochTime: relative(p.epochMs, measured.epochMs), bytes: relative(p.bytesPerRankPerEpoch, measured.bytesPerRankPerEpoch) }]),
    );
    cases.push({ composition: name, rate, measuredRun: run.metrics, measured, predictions, errors });
    const pct = (x) => `${(100 * x).toFixed(1)} %`;
    console.log(
      `${rate} ${name}: measured ${(measured.epochMs / 1000).toFixed(2)} s/epoch, ${(measured.bytesPerRankPerEpoch / 1e6).toFixed(2)} MB; predicted ${Object.entries(predictions)
        .map(([k, p]) => `${k} ${(p.epochMs / 1000).toFixed(2)} s (${pct(errors[k].epochTime)})`)
        .join(', ')}; bytes ${pct(errors.nominal.bytes)}`,
    );
  }
}

mkdirSync(dirname(values.json), { recursive: true });
const summary = {
  benchmark: 'scale by simulation: validation against the measured 4-rank seed reproductions (issue #9)',
  command: `node tools/bench/scale/validate.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  startedAt,
  finishedAt: new Date().toISOString(),
  loadAverage: { start: loadAtStart, end: loadAverage() },
  computeMsUsedByModel: computeMs,
  measuredEpoch: "rank 0's step times (timings.total) summed over the run / epochs (test-set evaluation excluded); bytes: rank 0's bytesSent summed / epochs",
  predictedEpoch: 'simulateSchedule (the method run.mjs extrapolates with) on the same config: virtual time per step × steps per epoch',
  probes,
  cases,
};
writeFileSync(values.json, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`\n${validationTable(summary)}\n\nwrote ${values.json}`);
