#!/usr/bin/env node
/**
 * The peer race (issue #9): PyTorch DDP against Syncopate on the same model, data, shards and
 * shaped network, in one run.
 *
 *   node tools/bench/peer-race/run.mjs [--net 100mbit,1gbit] [--ranks 4] [--epochs 3]
 *     [--config tools/bench/peer-race/syncopate-race.json[,other.json…]]
 *     [--variants allreduce,fp16,powersgd,postlocal] [--target-accuracy 0.85]
 *     [--train-examples N] [--test-examples N] [--powersgd-rank R] [--period H]
 *     [--switch-step S] [--json FILE] [--out-dir DIR] [--timeout-s S] [--no-plots]
 *   node tools/bench/peer-race/run.mjs --replot SUMMARY.json [--out-dir DIR]
 *
 * For every rate in --net, one tools/netlab lab of --ranks hosts (tc tbf on every link) hosts
 * every contestant in turn: the PyTorch DDP variants (ddp.py, one process per namespace over
 * gloo/TCP, rendezvous at host 1's lab address) and the Syncopate composition(s) of --config
 * (`syncopate train --transport mpi`, one MPI rank per namespace). Both sides train the config's
 * MLP with its optimizer, batch size and epochs on the example indices @syncopate/data deals to
 * each rank (shards.mjs). Rank 0 of each side evaluates the test set at the end of every epoch
 * and appends a JSON line; while a contestant runs, this script watches that file and, for each
 * new line, reads the byte counters of every host's interface (the switch ports' receive
 * counters, i.e. what each host put on the wire, headers included), so bytes are counted by the
 * same counter for every contestant.
 *
 * Reported per contestant: time to --target-accuracy (training clock from start-up, and wall
 * time from launch), bytes on the wire until then and in all, final and best accuracy; per
 * PyTorch variant, ratios PyTorch / Syncopate (the first --config), and the time to the best
 * accuracy both reach. Plots of test accuracy against wall time go to --out-dir.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { setInterval, clearInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { withNetlab } from '../../netlab/netlab.mjs';
import { writeShards } from './shards.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const CLI_BIN = join(root, 'packages', 'cli', 'dist', 'bin.js');
const DDP = join(here, 'ddp.py');
const PYTHON = '/usr/bin/python3';
const VARIANTS = ['allreduce', 'fp16', 'powersgd', 'postlocal'];
const VARIANT_LABELS = { allreduce: 'DDP allreduce', fp16: 'DDP fp16 hook', powersgd: 'DDP PowerSGD hook', postlocal: 'DDP post-local SGD' };

/** A usage error: printed without a stack trace, exit status 2. */
class UsageError extends Error {}

/** Parsed command line with defaults; throws UsageError naming the flag. */
export function parseArgs(argv) {
  const known = ['net', 'ranks', 'epochs', 'config', 'variants', 'target-accuracy', 'train-examples', 'test-examples', 'powersgd-rank', 'period', 'switch-step', 'json', 'out-dir', 'timeout-s', 'no-plots', 'port'];
  const raw = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (!known.includes(name)) throw new UsageError(`unknown flag --${name}; known: ${known.map((k) => `--${k}`).join(' ')}`);
    if (name === 'no-plots') raw[name] = 'true';
    else if (inline !== undefined) raw[name] = inline;
    else if (i + 1 < argv.length) raw[name] = argv[++i];
    else throw new UsageError(`--${name} needs a value`);
  }
  const int = (name, fallback, min) => {
    if (raw[name] === undefined) return fallback;
    const v = Number(raw[name]);
    if (!Number.isInteger(v) || v < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got '${raw[name]}'`);
    return v;
  };
  const list = (name, fallback) => (raw[name] ?? fallback).split(',').map((s) => s.trim()).filter(Boolean);
  const variants = list('variants', VARIANTS.join(','));
  const bad = variants.find((v) => !VARIANTS.includes(v));
  if (bad) throw new UsageError(`--variants: unknown variant '${bad}'; choose from ${VARIANTS.join(', ')}`);
  const target = raw['target-accuracy'] === undefined ? 0.85 : Number(raw['target-accuracy']);
  if (!(target > 0 && target <= 1)) throw new UsageError(`--target-accuracy must be in (0, 1], got '${raw['target-accuracy']}'`);
  const nets = list('net', '100mbit');
  const badNet = nets.find((n) => !/^(\d+(\.\d+)?([kmg]bit)|none)$/.test(n));
  if (badNet) throw new UsageError(`--net: '${badNet}' is not a rate like 100mbit, 1gbit or none`);
  const configs = list('config', join(here, 'syncopate-race.json')).map((c) => resolve(c));
  const missing = configs.find((c) => !existsSync(c));
  if (missing) throw new UsageError(`--config: no file ${missing}`);
  const outDir = resolve(raw['out-dir'] ?? join(here, 'results'));
  return {
    nets,
    ranks: int('ranks', 4, 2),
    epochs: int('epochs', undefined, 1),
    configs,
    variants,
    target,
    trainExamples: int('train-examples', undefined, 1),
    testExamples: int('test-examples', undefined, 1),
    powersgdRank: int('powersgd-rank', undefined, 1),
    period: int('period', undefined, 1),
    switchStep: int('switch-step', undefined, 0),
    json: raw.json ? resolve(raw.json) : join(outDir, 'peer-race.json'),
    outDir,
    timeoutS: int('timeout-s', 1800, 10),
    plots: raw['no-plots'] === undefined,
    port: int('port', 29500 + (process.pid % 1000), 1024),
  };
}

/** The race settings of a `syncopate train` config, with the run's overrides. */
export function raceConfig(file, options) {
  const config = JSON.parse(readFileSync(file, 'utf8'));
  const model = config.model ?? { name: 'mlp', hidden: [256], activation: 'relu' };
  if (model.name !== 'mlp') throw new UsageError(`${file}: the race needs model.name 'mlp', got '${model.name}'`);
  const opt = config.optimizer ?? {};
  if (!['sgd', 'momentum', 'nesterov'].includes(opt.name)) throw new UsageError(`${file}: optimizer.name must be sgd, momentum or nesterov (what torch.optim.SGD does), got '${opt.name}'`);
  if (opt.name !== 'sgd' && typeof opt.momentum !== 'number') throw new UsageError(`${file}: optimizer.momentum must be given for '${opt.name}'`);
  if (config.schedules?.length) throw new UsageError(`${file}: learning-rate schedules are not mirrored on the PyTorch side; remove 'schedules'`);
  const data = { ...config.data, name: 'fashion-mnist' };
  if (options.trainExamples !== undefined) data.trainExamples = options.trainExamples;
  if (options.testExamples !== undefined) data.testExamples = options.testExamples;
  return {
    ...config,
    data,
    ranks: options.ranks,
    epochs: options.epochs ?? config.epochs ?? 1,
    transport: 'mpi',
    model: { name: 'mlp', hidden: model.hidden ?? [256], activation: model.activation ?? 'relu' },
  };
}

/** The plugin options of `name` in a config's plugin list, if present. */
function pluginOptions(config, name) {
  const entry = (config.plugins ?? []).find((p) => (typeof p === 'string' ? p : p.name) === name);
  return entry === undefined ? undefined : typeof entry === 'string' ? {} : (entry.options ?? {});
}

/** Bytes each host has put on the wire: the receive counter of its port on the lab's switch. */
function wireBytes(lab) {
  const result = spawnSync('ip', ['netns', 'exec', `${lab.name}-sw`, 'cat', '/proc/net/dev'], { encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0) throw new Error(`reading ${lab.name}-sw's /proc/net/dev failed: ${result.stderr}`);
  const bytes = new Array(lab.hosts.length).fill(0);
  for (const line of result.stdout.split('\n')) {
    const m = /^\s*h(\d+):\s*(\d+)/.exec(line);
    if (m && Number(m[1]) >= 1 && Number(m[1]) <= bytes.length) bytes[Number(m[1]) - 1] = Number(m[2]);
  }
  return bytes;
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/**
 * Runs `launch()` while watching `jsonl` for epoch lines; each new line gets `wallMs` (since
 * launch) and `wireBytes` (summed over hosts since launch) attached.
 */
async function watched(lab, jsonl, launch) {
  const before = wireBytes(lab);
  const started = performance.now();
  const epochs = [];
  let seen = 0;
  const poll = () => {
    if (!existsSync(jsonl)) return;
    const lines = readFileSync(jsonl, 'utf8').split('\n').filter(Boolean);
    for (; seen < lines.length; seen++) {
      let event;
      try {
        event = JSON.parse(lines[seen]);
      } catch {
        break; // a line still being written: read it next time
      }
      if (event.type !== 'epoch') continue;
      const now = wireBytes(lab);
      epochs.push({ ...event, wallMs: performance.now() - started, wireBytes: sum(now) - sum(before) });
    }
  };
  const timer = setInterval(poll, 100);
  let result;
  try {
    result = await launch();
  } finally {
    clearInterval(timer);
  }
  poll();
  const after = wireBytes(lab);
  return { result, epochs, wallMs: performance.now() - started, wireBytes: sum(after) - sum(before), wireBytesPerHost: after.map((b, i) => b - before[i]) };
}

/** One PyTorch DDP variant on the lab. */
async function runTorch(lab, variant, config, shards, options, dir, port) {
  const jsonl = join(dir, `ddp-${variant}.jsonl`);
  const { hidden, activation } = config.model;
  const opt = config.optimizer;
  const args = [DDP, '--shards', shards.metaFile, '--out', jsonl, '--variant', variant, '--epochs', String(config.epochs)];
  args.push('--lr', String(opt.lr), '--momentum', String(opt.name === 'sgd' ? 0 : opt.momentum), '--hidden', hidden.join(','), '--activation', activation, '--seed', String(config.seed ?? 0));
  if (opt.name === 'nesterov') args.push('--nesterov');
  args.push('--powersgd-rank', String(options.powersgdRank), '--period', String(options.period), '--switch-step', String(options.switchStep), '--timeout-s', String(options.timeoutS));
  const env = (rank) => ({
    RANK: String(rank),
    WORLD_SIZE: String(lab.hosts.length),
    MASTER_ADDR: lab.hosts[0].address,
    MASTER_PORT: String(port),
    GLOO_SOCKET_IFNAME: 'eth0',
    OMP_NUM_THREADS: '1',
    OPENBLAS_NUM_THREADS: '1',
  });
  const run = await watched(lab, jsonl, () =>
    Promise.all(lab.hosts.map((host, rank) => lab.exec(host.index, [PYTHON, ...args], { env: env(rank), timeoutS: options.timeoutS, check: false }))),
  );
  const failed = run.result.findIndex((r) => r.code !== 0);
  if (failed >= 0) throw new Error(`ddp.py ${variant} failed on rank ${failed} (exit ${run.result[failed].code}):\n${run.result[failed].stderr.slice(-2000)}`);
  const ranks = lab.hosts.map((_, rank) => JSON.parse(readFileSync(`${jsonl}.rank${rank}.json`, 'utf8')));
  return { name: `pytorch-${variant}`, label: VARIANT_LABELS[variant], side: 'pytorch', variant, ...summarize(run, options.target), examplesPerRankPerEpoch: ranks.map((r) => r.examplesPerEpoch) };
}

/** One Syncopate composition on the lab, through `syncopate train --transport mpi`. */
async function runSyncopate(lab, configFile, config, options, dir) {
  const name = basename(configFile).replace(/\.json$/, '');
  const jsonl = join(dir, `syncopate-${name}.jsonl`);
  const file = join(dir, `syncopate-${name}.config.json`);
  writeFileSync(file, `${JSON.stringify({ ...config, metrics: jsonl }, null, 2)}\n`);
  const run = await watched(lab, jsonl, () =>
    lab.mpirun(['node', CLI_BIN, 'train', '--config', file, '--transport', 'mpi'], { timeoutS: options.timeoutS, check: false }),
  );
  if (run.result.code !== 0) throw new Error(`syncopate train ${name} failed (exit ${run.result.code}):\n${(run.result.stderr || run.result.stdout).slice(-2000)}`);
  const steps = run.epochs.map((e, i) => e.step - (i === 0 ? 0 : run.epochs[i - 1].step));
  // Every rank takes the same steps (the shard plan); the trainer reports rank 0's.
  const perRank = steps.map((s) => s * config.batchSize);
  return {
    name: `syncopate-${name}`,
    label: `Syncopate ${name}`,
    side: 'syncopate',
    config: basename(configFile),
    plugins: config.plugins,
    ...summarize(run, options.target),
    examplesPerRankPerEpoch: lab.hosts.map(() => perRank),
    payloadBytesRank0: run.epochs.at(-1)?.bytesSent,
  };
}

/**
 * Runs one contestant; a failure (a crashed rank, a timeout) is recorded in the summary as
 * `error` instead of ending the race, and printed.
 */
async function attempt(name, label, side, run) {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`peer-race: ${name} failed: ${message}\n`);
    return { name, label, side, error: message.slice(0, 4000), curve: [], reachedTarget: false, toTarget: null };
  }
}

/** Accuracy curve and the figures of one contestant. */
function summarize(run, target) {
  const curve = run.epochs.map((e) => ({ epoch: e.epoch, step: e.step, elapsedMs: e.elapsedMs, wallMs: e.wallMs, testAccuracy: e.testAccuracy, wireBytes: e.wireBytes }));
  const hit = curve.find((e) => e.testAccuracy >= target);
  const best = Math.max(...curve.map((e) => e.testAccuracy));
  return {
    curve,
    reachedTarget: hit !== undefined,
    toTarget: hit ? { epoch: hit.epoch, elapsedMs: hit.elapsedMs, wallMs: hit.wallMs, wireBytes: hit.wireBytes } : null,
    finalAccuracy: curve.at(-1)?.testAccuracy ?? null,
    bestAccuracy: curve.length ? best : null,
    wallMs: run.wallMs,
    trainMs: curve.at(-1)?.elapsedMs ?? null,
    wireBytes: run.wireBytes,
    wireBytesPerHost: run.wireBytesPerHost,
  };
}

/** The first point of `curve` at or above `level`. */
const firstAt = (curve, level) => curve.find((e) => e.testAccuracy >= level);

/** PyTorch / Syncopate ratios for one PyTorch variant. */
function compare(torch, ours) {
  const ratio = (a, b) => (a == null || b == null || b === 0 ? null : a / b);
  const common = Math.min(torch.bestAccuracy, ours.bestAccuracy);
  const t = firstAt(torch.curve, common);
  const s = firstAt(ours.curve, common);
  return {
    pytorch: torch.name,
    syncopate: ours.name,
    timeToTargetRatio: torch.toTarget && ours.toTarget ? ratio(torch.toTarget.elapsedMs, ours.toTarget.elapsedMs) : null,
    wallToTargetRatio: torch.toTarget && ours.toTarget ? ratio(torch.toTarget.wallMs, ours.toTarget.wallMs) : null,
    bytesToTargetRatio: torch.toTarget && ours.toTarget ? ratio(torch.toTarget.wireBytes, ours.toTarget.wireBytes) : null,
    totalBytesRatio: ratio(torch.wireBytes, ours.wireBytes),
    commonAccuracy: common,
    timeToCommonRatio: ratio(t?.elapsedMs, s?.elapsedMs),
    bytesToCommonRatio: ratio(t?.wireBytes, s?.wireBytes),
    pytorchToCommonMs: t?.elapsedMs ?? null,
    syncopateToCommonMs: s?.elapsedMs ?? null,
  };
}

const fmt = {
  s: (ms) => (ms == null ? '—' : `${(ms / 1000).toFixed(1)} s`),
  mb: (b) => (b == null ? '—' : `${(b / 1e6).toFixed(1)} MB`),
  pct: (a) => (a == null ? '—' : `${(a * 100).toFixed(2)} %`),
  x: (r) => (r == null ? '—' : `${r.toFixed(2)}×`),
};

/** The Markdown table of one network's race. */
export function markdownTable(race, target) {
  const rows = [
    `| contestant | time to ${(target * 100).toFixed(0)} % (train clock / wall) | wire bytes to ${(target * 100).toFixed(0)} % | final acc | best acc | train time | wire bytes, all |`,
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of race.contestants) {
    if (c.error) {
      rows.push(`| ${c.label} | failed: ${c.error.split('\n')[0]} | — | — | — | — | — |`);
      continue;
    }
    const to = c.toTarget ? `${fmt.s(c.toTarget.elapsedMs)} / ${fmt.s(c.toTarget.wallMs)}` : `never (best ${fmt.pct(c.bestAccuracy)})`;
    rows.push(`| ${c.label} | ${to} | ${c.toTarget ? fmt.mb(c.toTarget.wireBytes) : '—'} | ${fmt.pct(c.finalAccuracy)} | ${fmt.pct(c.bestAccuracy)} | ${fmt.s(c.trainMs)} | ${fmt.mb(c.wireBytes)} |`);
  }
  rows.push('', `| PyTorch / Syncopate | time to ${(target * 100).toFixed(0)} % | bytes to ${(target * 100).toFixed(0)} % | all bytes | common accuracy | time to it | bytes to it |`, '|---|---|---|---|---|---|---|');
  for (const r of race.ratios) {
    rows.push(`| ${r.pytorch} / ${r.syncopate} | ${fmt.x(r.timeToTargetRatio)} | ${fmt.x(r.bytesToTargetRatio)} | ${fmt.x(r.totalBytesRatio)} | ${fmt.pct(r.commonAccuracy)} | ${fmt.x(r.timeToCommonRatio)} | ${fmt.x(r.bytesToCommonRatio)} |`);
  }
  return rows.join('\n');
}

/** Accuracy against wall time and against bytes, one curve per contestant, as SVG and PNG. */
async function plot(race, outDir) {
  const { lineChart } = await import(join(root, 'packages', 'cli', 'dist', 'index.js'));
  const { lineChartPng } = await import(join(root, 'packages', 'cli', 'dist', 'plot', 'png-chart.js'));
  const title = `Peer race at ${race.net}, ${race.ranks} ranks`;
  const charts = [
    ['accuracy-vs-time', (e) => [e.wallMs / 1000, e.testAccuracy], { title: `${title}: test accuracy`, xLabel: 'wall time since launch (s)', yLabel: 'test accuracy' }],
    ['accuracy-vs-bytes', (e) => [e.wireBytes / 1e6, e.testAccuracy], { title: `${title}: test accuracy against bytes`, xLabel: 'MB on the wire (all hosts)', yLabel: 'test accuracy' }],
  ];
  const files = [];
  for (const [name, point, options] of charts) {
    const series = race.contestants.filter((c) => !c.error).map((c) => ({ label: c.label, points: c.curve.map(point) }));
    const base = join(outDir, `${name}-${race.net}`);
    writeFileSync(`${base}.svg`, lineChart(series, options));
    writeFileSync(`${base}.png`, lineChartPng(series, options));
    files.push(`${base}.svg`, `${base}.png`);
  }
  return files;
}

/** `--replot SUMMARY [--out-dir DIR]`: draws the plots of a summary again. */
async function replot(argv) {
  const summary = JSON.parse(readFileSync(argv[1], 'utf8'));
  const outDir = resolve(argv[2] === '--out-dir' && argv[3] ? argv[3] : dirname(resolve(argv[1])));
  mkdirSync(outDir, { recursive: true });
  for (const race of summary.races) process.stdout.write(`${(await plot(race, outDir)).join('\n')}\n`);
  return summary;
}

export async function main(argv) {
  if (argv[0] === '--replot' && argv[1]) return replot(argv);
  const options = parseArgs(argv);
  if (!existsSync(CLI_BIN)) throw new UsageError(`${CLI_BIN} is missing: build the packages first (npx nx run-many -t build)`);
  if (options.variants.length && !existsSync(PYTHON)) throw new UsageError(`${PYTHON} is missing: apt-get install python3-torch libopenblas0-pthread`);
  const configs = options.configs.map((file) => ({ file, config: raceConfig(file, options) }));
  const lead = configs[0].config;
  // The PyTorch side mirrors the first config; its H and PowerSGD rank unless given.
  options.period ??= pluginOptions(lead, 'localSgd')?.period ?? pluginOptions(lead, 'postLocalSgd')?.period ?? 8;
  options.powersgdRank ??= pluginOptions(lead, 'powerSgd')?.rank ?? 1;
  options.switchStep ??= pluginOptions(lead, 'postLocalSgd')?.switchStep ?? 0;
  for (const { file, config } of configs.slice(1)) {
    for (const key of ['seed', 'batchSize', 'epochs']) {
      if (config[key] !== lead[key]) throw new UsageError(`${file}: ${key} ${config[key]} differs from ${options.configs[0]}'s ${lead[key]}; contestants must share model, data and schedule`);
    }
  }
  mkdirSync(options.outDir, { recursive: true });
  const work = join(options.outDir, 'runs');
  mkdirSync(work, { recursive: true });
  const shardPrefix = join(work, 'shards');
  const shards = { ...(await writeShards(lead, options.ranks, lead.epochs, shardPrefix)), metaFile: `${shardPrefix}.json` };
  const summary = {
    command: `node tools/bench/peer-race/run.mjs ${argv.join(' ')}`.trim(),
    date: new Date().toISOString(),
    target: options.target,
    ranks: options.ranks,
    epochs: lead.epochs,
    batchSize: lead.batchSize,
    model: lead.model,
    optimizer: lead.optimizer,
    shards: { trainExamples: shards.trainExamples, testExamples: shards.testExamples, examplesPerRank: shards.examplesPerRank, stepsPerEpoch: shards.stepsPerEpoch, shuffle: shards.shuffle, seed: shards.seed },
    pytorch: { variants: options.variants, powersgdRank: options.powersgdRank, period: options.period, switchStep: options.switchStep },
    loadavgBefore: loadavg(),
    races: [],
  };
  for (const net of options.nets) {
    const dir = join(work, net);
    mkdirSync(dir, { recursive: true });
    const race = await withNetlab({ hosts: options.ranks, rate: net, timeoutS: options.timeoutS }, async (lab) => {
      const contestants = [];
      let port = options.port;
      for (const variant of options.variants) {
        const jsonl = join(dir, `ddp-${variant}.jsonl`);
        writeFileSync(jsonl, '');
        process.stderr.write(`peer-race ${net}: PyTorch ${variant} (load ${loadavg()[0].toFixed(2)})\n`);
        contestants.push(await attempt(`pytorch-${variant}`, VARIANT_LABELS[variant], 'pytorch', () => runTorch(lab, variant, lead, shards, options, dir, port++)));
      }
      for (const { file, config } of configs) {
        writeFileSync(join(dir, `syncopate-${basename(file).replace(/\.json$/, '')}.jsonl`), '');
        process.stderr.write(`peer-race ${net}: Syncopate ${basename(file)} (load ${loadavg()[0].toFixed(2)})\n`);
        const name = basename(file).replace(/\.json$/, '');
        contestants.push(await attempt(`syncopate-${name}`, `Syncopate ${name}`, 'syncopate', () => runSyncopate(lab, file, config, options, dir)));
      }
      return { net, ranks: options.ranks, lab: lab.name, loadavgAfter: loadavg(), contestants };
    });
    const ours = race.contestants.find((c) => c.side === 'syncopate');
    race.ratios = ours && !ours.error ? race.contestants.filter((c) => c.side === 'pytorch' && !c.error).map((c) => compare(c, ours)) : [];
    if (options.plots) race.plots = (await plot(race, options.outDir)).map((f) => f.slice(root.length + 1));
    summary.races.push(race);
    process.stdout.write(`\n## ${net}, ${options.ranks} ranks (load after: ${race.loadavgAfter.map((l) => l.toFixed(2)).join(' ')})\n\n${markdownTable(race, options.target)}\n`);
    writeFileSync(options.json, `${JSON.stringify(summary, null, 2)}\n`);
  }
  summary.loadavgAfter = loadavg();
  writeFileSync(options.json, `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`\nsummary: ${options.json}\n`);
  return summary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`peer-race: ${error instanceof UsageError ? error.message : (error.stack ?? error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
