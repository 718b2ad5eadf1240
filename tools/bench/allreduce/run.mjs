#!/usr/bin/env node
/**
 * Allreduce: our binding vs C vs mpi4py, in one run.
 *
 * Builds allreduce.c with mpicc, then for each rank count and round runs, one after another,
 * the C program, mpi4py (/usr/bin/python3, Debian's python3-mpi4py) and our binding in each
 * variant (see allreduce-node.mjs), each under mpirun with the flags of mpirunArgs. Every
 * program times the same in-place float32 sum with the same protocol. Per size it reports the
 * median over rounds, the ratio C-time / our-time and our overhead over C in microseconds.
 *
 *   node tools/bench/allreduce/run.mjs [--np 2,4] [--rounds 5] [--sizes 1e3,1e4,1e5,1e6,1e7,2.5e7]
 *                                       [--variants checked,unchecked,binding] [--poll-micros N]
 *                                       [--nice=N] [--json FILE]
 *
 * --nice=N runs every program at niceness N (negative needs root): on a machine shared with
 * other work, all programs then get the cores alike, which keeps the comparison fair.
 *
 * Needs packages/transport-mpi built (npm run build in it, and its addon).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mpirunArgs } from '@syncopate/transport-mpi';

const here = import.meta.dirname;
const { values } = parseArgs({
  options: {
    np: { type: 'string', default: '2,4' },
    rounds: { type: 'string', default: '5' },
    nice: { type: 'string', default: '0' },
    'poll-micros': { type: 'string' },
    sizes: { type: 'string', default: '1e3,1e4,1e5,1e6,1e7,2.5e7' },
    variants: { type: 'string', default: 'checked,unchecked,binding' },
    json: { type: 'string' },
  },
});
const nps = values.np.split(',').map(Number);
const rounds = Number(values.rounds);
const sizes = values.sizes.split(',').map(Number);
const variants = values.variants.split(',');
const nice = Number(values.nice);

/** Enough calls for a stable mean, few enough that the largest size takes about a second. */
function iterationsFor(size) {
  return Math.max(5, Math.min(20_000, Math.round(2e7 / size)));
}
const specs = sizes.map((s) => `${s}:${iterationsFor(s)}`);

const build = join(here, 'build');
mkdirSync(build, { recursive: true });
const cProgram = join(build, 'allreduce');
execFileSync('mpicc', ['-O2', '-o', cProgram, join(here, 'allreduce.c')], { stdio: 'inherit' });

function run(np, argv) {
  const command = [...(nice !== 0 ? ['nice', '-n', String(nice)] : []), 'mpirun', ...mpirunArgs({ np }), ...argv];
  const result = spawnSync(command[0], command.slice(1), { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`mpirun -np ${np} ${argv.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

const programs = [
  { name: 'c', argv: [cProgram, ...specs] },
  { name: 'mpi4py', argv: ['/usr/bin/python3', join(here, 'allreduce_mpi4py.py'), ...specs] },
  ...variants.map((v) => ({
    name: `node-${v}`,
    argv: [process.execPath, join(here, 'allreduce-node.mjs'), v, ...(values['poll-micros'] ? [`--poll-micros=${values['poll-micros']}`] : []), ...specs],
  })),
];

const samples = [];
const started = Date.now();
const load = loadavg()[0];
for (let round = 0; round < rounds; round++) {
  for (const np of nps) {
    for (const program of programs) {
      const lines = run(np, program.argv);
      for (const line of lines) samples.push({ ...line, round });
      process.stderr.write(`round ${round + 1}/${rounds}, np ${np}: ${program.name} done\n`);
    }
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const results = [];
for (const np of nps) {
  for (const size of sizes) {
    const of = (name) => samples.filter((s) => s.np === np && s.size === size && s.program === name).map((s) => s.seconds);
    const times = Object.fromEntries(programs.map((p) => [p.name, median(of(p.name))]));
    const best = Object.fromEntries(programs.map((p) => [p.name, Math.min(...of(p.name))]));
    // Per-round comparisons: C and ours ran seconds apart in the same round, so a burst of load
    // from elsewhere hits both; the median over rounds then drops the rounds it hit hardest.
    const inRound = (name, round) => samples.find((s) => s.np === np && s.size === size && s.program === name && s.round === round)?.seconds;
    const perRound = (v, f) => median(Array.from({ length: rounds }, (_, r) => f(inRound('c', r), inRound(`node-${v}`, r))));
    const entry = {
      np,
      size,
      iterations: iterationsFor(size),
      seconds: times,
      bestSeconds: best,
      ratioCOverOurs: {},
      overheadMicros: {},
      bestRatioCOverOurs: {},
      bestOverheadMicros: {},
    };
    for (const v of variants) {
      entry.ratioCOverOurs[v] = perRound(v, (c, ours) => c / ours);
      entry.overheadMicros[v] = perRound(v, (c, ours) => (ours - c) * 1e6);
      entry.bestRatioCOverOurs[v] = best.c / best[`node-${v}`];
      entry.bestOverheadMicros[v] = (best[`node-${v}`] - best.c) * 1e6;
    }
    results.push(entry);
  }
}

const summary = {
  benchmark: 'allreduce, in place, float32, sum',
  date: new Date(started).toISOString(),
  wallSeconds: (Date.now() - started) / 1000,
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverageAtStart: load, node: process.version },
  mpi: execFileSync('mpirun', ['--version'], { encoding: 'utf8' }).split('\n')[0],
  mpirun: mpirunArgs({ np: 1 }).slice(0, -2).join(' '),
  rounds,
  nice,
  pollMicros: values['poll-micros'] === undefined ? 'default (250)' : Number(values['poll-micros']),
  statistic:
    'seconds: median over rounds of the slowest rank’s mean time per call; bestSeconds: the minimum over rounds; ' +
    'ratioCOverOurs and overheadMicros: median over rounds of the same-round comparison; best*: from bestSeconds',
  variants,
  results,
  samples,
};
if (values.json) writeFileSync(values.json, `${JSON.stringify(summary, null, 2)}\n`);

const us = (s) => (s * 1e6 < 1000 ? `${(s * 1e6).toFixed(1)} µs` : `${(s * 1e3).toFixed(2)} ms`);
const header = [
  'np',
  'floats',
  'C',
  'mpi4py',
  ...variants.map((v) => `ours (${v})`),
  ...variants.map((v) => `C/ours (${v})`),
  ...variants.map((v) => `overhead (${v})`),
];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---').join('|')}|`);
for (const r of results) {
  const cells = [
    r.np,
    r.size.toExponential(0).replace('e+', 'e'),
    us(r.seconds.c),
    us(r.seconds.mpi4py),
    ...variants.map((v) => us(r.seconds[`node-${v}`])),
    ...variants.map((v) => r.ratioCOverOurs[v].toFixed(2)),
    ...variants.map((v) => `${r.overheadMicros[v].toFixed(1)} µs`),
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
