#!/usr/bin/env node
/**
 * Allreduce: our binding vs C vs mpi4py, in one run.
 *
 * Builds allreduce.c with mpicc, then for each round and rank count runs, one after another (in
 * an order shuffled every round), the C program, mpi4py (/usr/bin/python3, Debian's
 * python3-mpi4py) and our binding in each variant (see allreduce-node.mjs), each under mpirun
 * with the flags of mpirunArgs. Every
 * program times the same in-place float32 sum with the same protocol. Per size it reports the
 * median over rounds (and the best round), the ratio C-time / our-time and our overhead over C.
 *
 *   node tools/bench/allreduce/run.mjs [--np 2,4] [--rounds 5] [--sizes 1e3,1e4,1e5,1e6,1e7,2.5e7]
 *                                       [--variants checked,unchecked,binding] [--poll-micros N]
 *                                       [--nice=N] [--json FILE]
 *   node tools/bench/allreduce/run.mjs --merge run-0.json,run-1.json [--json FILE]
 *
 * --nice=N runs every program at niceness N (negative needs root): on a machine shared with
 * other work, all programs then get the cores alike, which keeps the comparison fair.
 * --merge pools the samples of earlier runs (their rounds kept apart) instead of running.
 *
 * Needs packages/transport-mpi built (npm run build in it, and its addon).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SHARED_RANK, createRng } from '@syncopate/core';
import { mpirunArgs } from '@syncopate/transport-mpi';
import { markdownTable, summarize } from './summarize.mjs';

const here = import.meta.dirname;
const { values } = parseArgs({
  options: {
    np: { type: 'string', default: '2,4' },
    rounds: { type: 'string', default: '5' },
    sizes: { type: 'string', default: '1e3,1e4,1e5,1e6,1e7,2.5e7' },
    variants: { type: 'string', default: 'checked,unchecked,binding' },
    'poll-micros': { type: 'string' },
    nice: { type: 'string', default: '0' },
    json: { type: 'string' },
    merge: { type: 'string' },
  },
});
const variants = values.variants.split(',');
const nice = Number(values.nice);

/**
 * Enough calls that each size is timed over a tenth of a second or more (2e8 floats reduced, at
 * most 20 000 calls, at least 8): on a busy 2-core machine one descheduled rank can stall a call
 * for a few ms, which a 10 ms window (20 calls of 1e6 floats, as before) turned into a 20 % swing.
 */
function iterationsFor(size) {
  return Math.max(8, Math.min(20_000, Math.round(2e8 / size)));
}

/** Runs `argv` under mpirun on `np` ranks and returns the JSON lines it printed. */
function mpirun(np, argv) {
  const command = [...(nice !== 0 ? ['nice', '-n', String(nice)] : []), 'mpirun', ...mpirunArgs({ np }), ...argv];
  const result = spawnSync(command[0], command.slice(1), { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`mpirun -np ${np} ${argv.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

/** Every program at every rank count, round after round; returns the samples. */
function measure() {
  const nps = values.np.split(',').map(Number);
  const rounds = Number(values.rounds);
  const specs = values.sizes
    .split(',')
    .map(Number)
    .map((size) => `${size}:${iterationsFor(size)}`);
  const build = join(here, 'build');
  mkdirSync(build, { recursive: true });
  const cProgram = join(build, 'allreduce');
  execFileSync('mpicc', ['-O2', '-o', cProgram, join(here, 'allreduce.c')], { stdio: 'inherit' });
  const poll = values['poll-micros'] ? [`--poll-micros=${values['poll-micros']}`] : [];
  const programs = [
    { name: 'c', argv: [cProgram, ...specs] },
    { name: 'mpi4py', argv: ['/usr/bin/python3', join(here, 'allreduce_mpi4py.py'), ...specs] },
    ...variants.map((v) => ({ name: `node-${v}`, argv: [process.execPath, join(here, 'allreduce-node.mjs'), v, ...poll, ...specs] })),
  ];
  const samples = [];
  for (let round = 0; round < rounds; round++) {
    // The order is shuffled every round (seeded), because on this VM where a program runs in
    // the sequence matters: C's 2.5e7-float allreduce at np 4 took 124–132 ms right after another
    // C run and 138–152 ms after any other program (3 cycles each). A fixed order, or one that
    // only rotates (each program then keeps its predecessor), would always favour or handicap
    // the same program.
    const rng = createRng({ seed: 20261123, rank: SHARED_RANK, step: round, stream: 'allreduce-bench/order' });
    const order = [...programs];
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const np of nps) {
      for (const program of order) {
        for (const line of mpirun(np, program.argv)) samples.push({ ...line, round: String(round) });
        process.stderr.write(`round ${round + 1}/${rounds}, np ${np}: ${program.name} done\n`);
      }
    }
  }
  return samples;
}

const started = Date.now();
const loadAtStart = loadavg()[0];
const merged = values.merge ? values.merge.split(',').map((file) => JSON.parse(readFileSync(file, 'utf8'))) : [];
const samples =
  merged.length > 0 ? merged.flatMap((run, i) => run.samples.map((sample) => ({ ...sample, round: `${i}.${sample.round}` }))) : measure();
const results = summarize(samples, variants);

const summary = {
  benchmark: 'allreduce, in place, float32, sum',
  date: new Date(started).toISOString(),
  wallSeconds: (Date.now() - started) / 1000,
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg()[0], node: process.version },
  mpi: execFileSync('mpirun', ['--version'], { encoding: 'utf8' }).split('\n')[0],
  mpirun: mpirunArgs({ np: 1 }).slice(0, -2).join(' '),
  runs: merged.length > 0 ? merged.map((run) => ({ date: run.date, machine: run.machine, rounds: run.rounds, nice: run.nice })) : undefined,
  rounds: merged.length > 0 ? merged.reduce((n, run) => n + run.rounds, 0) : Number(values.rounds),
  nice: merged.length > 0 ? merged[0].nice : nice,
  pollMicros: values['poll-micros'] === undefined ? 'default (250)' : Number(values['poll-micros']),
  statistic:
    'seconds: median over rounds of the slowest rank’s mean time per call; bestSeconds: the minimum over rounds; ' +
    'ratioCOverOurs and overheadMicros: median over rounds of the same-round comparison; best*: from bestSeconds',
  variants,
  results,
  samples,
};
if (values.json) writeFileSync(values.json, `${JSON.stringify(summary, null, 2)}\n`);
console.log(markdownTable(results, variants));
