#!/usr/bin/env node
// Seed reproductions (issue #9) at small scale: a Fashion-MNIST MLP (784-256-10) on 4 MPI ranks in a
// network lab shaped to 1 Gbit/s and 100 Mbit/s, run with `syncopate bench`:
//   (a) full SGD vs constant-period averaging (p = 8) vs ADPSGD          (Jiang & Agrawal)
//   (b) local SGD vs SlowMo vs AllReduce SGD                            (Wang et al.)
//   (c) HPSGD vs local SGD vs synchronous SGD                           (Zhou et al.)
//   (d) every compressor: bytes per step against test accuracy          (on --compression-net only)
// Writes results/reproductions.json (every run, the groups' tables and the papers' claims next to
// ours) and SVG/PNG plots under results/plots/.
//
//   npx nx run-many -t build              # the ranks load dist
//   node tools/bench/reproductions/run.mjs [--net 1gbit,100mbit] [--compression-net 100mbit|none]
//        [--epochs E] [--train-examples N] [--target-accuracy 0.8] [--json FILE] [--out DIR] [--reuse] [--only NAME,...]
//
// Needs root (netlab). Default: 3 epochs on a 12,000-example subset; ~30 min on 2 cores.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ALGORITHM_CONFIGS, COMPRESSOR_CONFIGS, GROUPS, compareClaims } from './claims.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
const { values } = parseArgs({
  options: {
    net: { type: 'string', default: '1gbit,100mbit' },
    'compression-net': { type: 'string', default: '100mbit' },
    epochs: { type: 'string' },
    'train-examples': { type: 'string' },
    'target-accuracy': { type: 'string', default: '0.8' },
    out: { type: 'string', default: join(here, 'results') },
    json: { type: 'string' },
    'timeout-s': { type: 'string', default: '900' },
    // Rebuild the tables, claims and plots from the summaries of an earlier run, without training.
    reuse: { type: 'boolean', default: false },
    // Run only these configs again (comma-separated names) and put them in place of the earlier runs.
    only: { type: 'string' },
  },
});
if (!existsSync(bin)) throw new Error(`${bin} is not built: npx nx run-many -t build`);
const nets = values.net.split(',').map((n) => n.trim()).filter(Boolean);
const out = values.out;
const json = values.json ?? join(out, 'reproductions.json');
mkdirSync(out, { recursive: true });
const configPath = (name) => join(here, 'configs', `${name}.json`);

const started = new Date().toISOString();
const loadStart = loadavg();
const commands = [];
const byNet = {};
for (const net of nets) {
  const planned = [...ALGORITHM_CONFIGS, ...(net === values['compression-net'] ? COMPRESSOR_CONFIGS : [])];
  const only = values.only?.split(',').map((n) => n.trim());
  const names = only ? planned.filter((n) => only.includes(n)) : planned;
  const netOut = join(out, net);
  // A re-run writes beside the first run, then replaces the runs of the same names in its summary.
  const runOut = only ? join(netOut, 'rerun') : netOut;
  const args = [bin, 'bench', '--net', net, '--ranks', '4', '--out', runOut, '--json', join(runOut, 'summary.json')];
  args.push('--target-accuracy', values['target-accuracy'], '--timeout-s', values['timeout-s']);
  if (values.epochs) args.push('--epochs', values.epochs);
  if (values['train-examples']) args.push('--set', `data.trainExamples=${values['train-examples']}`);
  for (const name of names) args.push('--config', configPath(name));
  const command = `node ${relative(root, bin)} ${args.slice(1).map((a) => (a.startsWith(root) ? relative(root, a) : a)).join(' ')}`;
  commands.push(command);
  console.log(`\nreproductions: ${net}: ${names.length} configs\n$ ${command}`);
  if (!values.reuse && names.length > 0) {
    const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
    if (result.status === 2 || !existsSync(join(runOut, 'summary.json'))) throw new Error(`syncopate bench failed on ${net} (exit status ${result.status})`);
    if (only) {
      const first = JSON.parse(readFileSync(join(netOut, 'summary.json'), 'utf8'));
      const again = JSON.parse(readFileSync(join(runOut, 'summary.json'), 'utf8'));
      first.runs = first.runs.map((r) => again.runs.find((a) => a.name === r.name) ?? r);
      first.reruns = [...(first.reruns ?? []), { startedAt: again.startedAt, runs: again.runs.map((r) => r.name) }];
      writeFileSync(join(netOut, 'summary.json'), `${JSON.stringify(first, null, 2)}\n`);
    }
  }
  byNet[net] = JSON.parse(readFileSync(join(netOut, 'summary.json'), 'utf8'));
}

// Tables per group and network: the figures the papers compare, with speedups over full SGD.
const groups = {};
for (const [id, group] of Object.entries(GROUPS)) {
  groups[id] = { title: group.title, paper: group.paper, nets: {} };
  for (const net of nets) {
    // The compressors ran on one network only: their bytes and accuracy do not depend on the link.
    if (id === 'd' && net !== values['compression-net']) continue;
    const runs = byNet[net].runs;
    const find = (name) => runs.find((r) => r.name === name);
    const baseline = find('full-sgd');
    const members = group.configs.map(find).filter(Boolean);
    if (members.length === 0) continue;
    groups[id].nets[net] = members.map((r) => ({
      name: r.name,
      status: r.status,
      syncCount: r.syncCount,
      bytesPerStep: r.bytesPerStep,
      stepBytesPerStep: r.stepBytesPerStep,
      meanBytesSentPerRank: r.meanBytesSentPerRank,
      trainLoss: r.trainLoss,
      testAccuracy: r.testAccuracy,
      trainingMs: r.trainingMs,
      meanEpochMs: r.meanEpochMs,
      wallMs: r.wallMs,
      timeToTargetMs: r.timeToTargetMs,
      // Speedup over full SGD in training time (rank 0's clock, the papers' "total training time").
      speedupVsFullSgd: baseline && r.trainingMs ? baseline.trainingMs / r.trainingMs : null,
      loadAverage: r.loadAverage,
    }));
  }
}

// Plots: each group's curves per network; the compressors' bytes per step against accuracy.
const cli = await import(pathToFileURL(join(root, 'packages', 'cli', 'dist', 'index.js')).href);
const { lineChartPng } = await import(pathToFileURL(join(root, 'packages', 'cli', 'dist', 'plot', 'png-chart.js')).href);
const plots = [];
for (const [id, group] of Object.entries(GROUPS)) {
  if (id === 'd') continue;
  for (const net of nets) {
    const runs = group.configs.map((name) => byNet[net].runs.find((r) => r.name === name)).filter((r) => r && existsSync(r.metrics));
    if (runs.length === 0) continue;
    const dir = join(out, 'plots', `${id}-${net}`);
    mkdirSync(dir, { recursive: true });
    const metrics = runs.map((r) => ({ ...cli.readMetrics(r.metrics), label: r.name }));
    plots.push(...cli.plotRuns(metrics, dir, 'svg'), ...cli.plotRuns(metrics, dir, 'png'));
  }
}
const compressionNet = values['compression-net'];
if (byNet[compressionNet]) {
  // One marker per composition: x = final test accuracy, y = rank 0's bytes per step (log). The
  // chart has 8 colours, so each round of 8 gets its own marker shape, named in the legend.
  const names = ['full-sgd', ...COMPRESSOR_CONFIGS];
  const runs = names.map((name) => byNet[compressionNet].runs.find((r) => r.name === name)).filter((r) => r && r.testAccuracy !== null && r.stepBytesPerStep > 0);
  const xs = runs.map((r) => r.testAccuracy * 100);
  const dx = Math.max(0.2, (Math.max(...xs) - Math.min(...xs)) / 120);
  const shapes = [
    ['+', (x, y) => [[x - dx, y], [x + dx, y], [x, y], [x, y * 1.12], [x, y / 1.12]]],
    ['x', (x, y) => [[x - dx, y / 1.12], [x + dx, y * 1.12], [x, y], [x - dx, y * 1.12], [x + dx, y / 1.12]]],
    ['box', (x, y) => [[x - dx, y / 1.1], [x + dx, y / 1.1], [x + dx, y * 1.1], [x - dx, y * 1.1], [x - dx, y / 1.1]]],
  ];
  const series = runs.map((r, i) => {
    const [shape, points] = shapes[Math.floor(i / 8) % shapes.length];
    return { label: `${r.name.replace(/^compressor-/, '')} (${shape})`, points: points(r.testAccuracy * 100, r.stepBytesPerStep / 1000) };
  });
  const options = { title: `Compressors on full SGD, ${compressionNet}: traffic against accuracy`, xLabel: 'final test accuracy (%)', yLabel: 'kB sent per step (rank 0)', logY: true, height: 560 };
  const dir = join(out, 'plots');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compressors-bytes-vs-accuracy.svg'), cli.lineChart(series, options));
  writeFileSync(join(dir, 'compressors-bytes-vs-accuracy.png'), lineChartPng(series, options));
  plots.push(join(dir, 'compressors-bytes-vs-accuracy.svg'), join(dir, 'compressors-bytes-vs-accuracy.png'));
}

// With --reuse the times and load averages are those of the runs, not of this rebuild.
const summaries = nets.map((net) => byNet[net]);
const allRuns = summaries.flatMap((s) => s.runs);
const report = {
  tool: 'tools/bench/reproductions/run.mjs',
  startedAt: values.reuse ? summaries.map((s) => s.startedAt).sort()[0] : started,
  finishedAt: values.reuse ? summaries.map((s) => s.finishedAt).sort().at(-1) : new Date().toISOString(),
  reruns: Object.fromEntries(nets.filter((net) => byNet[net].reruns).map((net) => [net, byNet[net].reruns])),
  setup: {
    model: 'MLP 784-256-10 (relu), 203,530 parameters, tfjs wasm backend, one thread per rank',
    data: `Fashion-MNIST, seeded random subset of ${values['train-examples'] ?? 12000} training and 5,000 test examples, reshuffled globally each epoch`,
    optimizer: 'momentum SGD, lr 0.05, momentum 0.9, batch 32 per rank (128 in all), lr x0.1 from epoch 3 (stepDecay at epoch 2)',
    ranks: 4,
    nets,
    compressionNet,
    epochs: values.epochs ? Number(values.epochs) : 3,
    targetAccuracy: Number(values['target-accuracy']),
    machine: '2 cores shared by 4 ranks (and by other users of the machine: see the load averages)',
  },
  commands,
  loadAverage: values.reuse ? { start: allRuns[0]?.loadAverage.start, end: allRuns.at(-1)?.loadAverage.end } : { start: loadStart, end: loadavg() },
  groups,
  claims: compareClaims(groups, nets),
  summaries: Object.fromEntries(nets.map((net) => [net, relative(root, join(out, net, 'summary.json'))])),
  plots: plots.map((p) => relative(root, p)),
};
writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nreproductions: ${relative(process.cwd(), json)}`);
for (const claim of report.claims) console.log(`- [${claim.verdict}] ${claim.paper}: ${claim.claim}\n    ours: ${claim.ours}`);
