#!/usr/bin/env node
// Ring allreduce on a shaped network: 4 network namespaces joined by a bridge, every link shaped
// to 1 Gbit/s in each direction with `tc tbf` (tools/netlab), one MPI rank per namespace over TCP.
// Measures our ring allreduce of 1e7 floats against the bandwidth bound 2(n − 1)/n · M/B and
// against Open MPI's own allreduce (through our binding, and from C through mpi4py) and the same
// ring written in C (ring.c, built here with mpicc), and writes the JSON summary to
// results/summary.json.
//
//   sudo node tools/bench/ring-allreduce/run.mjs [--floats 1e7] [--ranks 4] [--rate 1gbit] [--iterations 5]
//                                                [--nice=N] [--json FILE]
//
// --nice=N runs every rank (ours and mpi4py's alike) at niceness N: on a 2-core machine shared
// with other jobs, -10 keeps their CPU use from deciding the figure. The summary records it.
//
// Needs root (namespaces, tc), openmpi-bin, libopenmpi-dev (mpicc), python3-mpi4py and the built packages
// (npx nx run-many -t build).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { algorithms } from '@syncopate/collectives';
import { withNetlab } from '../../netlab/netlab.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    floats: { type: 'string', default: '1e7' },
    ranks: { type: 'string', default: '4' },
    rate: { type: 'string', default: '1gbit' },
    iterations: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    out: { type: 'string', default: join(here, 'results', 'summary.json') },
    json: { type: 'string' },
    nice: { type: 'string', default: '0' },
  },
});
const nice = Number(values.nice);
if (!Number.isInteger(nice) || nice < -20 || nice > 19) throw new Error(`--nice=${values.nice}: give an integer in [-20, 19]`);
// The ring's tuning (see rank.mjs), passed on to the ranks when set here.
const ringEnv = Object.fromEntries(['RING_SEGMENT_BYTES', 'RING_DEPTH'].filter((name) => process.env[name]).map((name) => [name, process.env[name]]));
/** `argv` at niceness `nice` (unchanged at 0). */
const niced = (argv) => (nice === 0 ? argv : ['nice', '-n', String(nice), ...argv]);
const floats = Math.round(Number(values.floats));
const ranks = Number(values.ranks);
const rateBits = parseRate(values.rate);
if (values.json !== undefined) values.out = values.json;

function parseRate(rate) {
  const match = /^(\d+(?:\.\d+)?)(k|m|g)?bit$/i.exec(rate);
  if (!match) throw new Error(`--rate '${rate}': give e.g. 100mbit or 1gbit`);
  const scale = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[(match[2] ?? '').toLowerCase()];
  return Number(match[1]) * scale;
}

function results(stdout) {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('RESULT '))
    .map((line) => JSON.parse(line.slice(7)));
}

const bytes = 4 * floats;
const boundMs = ((2 * (ranks - 1)) / ranks) * ((bytes * 8) / rateBits) * 1000;
const started = new Date().toISOString();
const loadBefore = loadavg()[0];

// The same ring in C (ring.c), the reference for what the machine and Open MPI's TCP path allow.
const cRing = join(here, 'build', 'ring');
mkdirSync(dirname(cRing), { recursive: true });
execFileSync('mpicc', ['-O2', '-o', cRing, join(here, 'ring.c')], { stdio: 'inherit' });
const segmentBytes = ringEnv.RING_SEGMENT_BYTES ?? String(algorithms.RING_SEGMENT_BYTES);

const measured = await withNetlab({ hosts: ranks, rate: values.rate, timeoutS: 1200 }, async (lab) => {
  const node = await lab.mpirun(niced(['node', join(here, 'rank.mjs'), String(floats), values.iterations, values.warmup, 'ring,ring-p2p,native']), { np: ranks, timeoutS: 900, env: ringEnv });
  const python = await lab.mpirun(niced(['/usr/bin/python3', join(here, 'mpi4py-allreduce.py'), String(floats), values.iterations, values.warmup]), { np: ranks, timeoutS: 900 });
  const c = await lab.mpirun(niced([cRing, String(floats), values.iterations, values.warmup, segmentBytes]), { np: ranks, timeoutS: 900 });
  return [...results(node.stdout), ...results(python.stdout), ...results(c.stdout)];
});

const byVariant = Object.fromEntries(measured.map((r) => [r.variant, r]));
const ring = byVariant.ring;
const summary = {
  benchmark: 'ring-allreduce',
  started,
  network: { ranks, rate: values.rate, shaper: 'tbf', bitsPerSecond: rateBits },
  machine: { cores: cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadavg()[0], nice },
  floats,
  bytes,
  boundMs,
  boundFormula: '2(n − 1)/n · M/B',
  variants: Object.fromEntries(
    measured.map((r) => [
      r.variant,
      {
        algorithm: r.algorithm ?? 'MPI_Allreduce',
        medianMs: r.medianMs,
        timesMs: r.timesMs,
        fractionOfBound: boundMs / r.medianMs,
        ...(r.rank0CpuMsPerCall === undefined ? {} : { rank0CpuMsPerCall: r.rank0CpuMsPerCall }),
      },
    ]),
  ),
  ringFractionOfBound: ring ? boundMs / ring.medianMs : null,
  ringTimeOverOpenMpiTime: ring && byVariant.native ? ring.medianMs / byVariant.native.medianMs : null,
  ringSpeedupOverOpenMpi: ring && byVariant.native ? byVariant.native.medianMs / ring.medianMs : null,
  ringSpeedupOverMpi4py: ring && byVariant.mpi4py ? byVariant.mpi4py.medianMs / ring.medianMs : null,
  ringP2pFractionOfBound: byVariant['ring-p2p'] ? boundMs / byVariant['ring-p2p'].medianMs : null,
  cRingFractionOfBound: byVariant['c-ring'] ? boundMs / byVariant['c-ring'].medianMs : null,
  ringTimeOverCRingTime: ring && byVariant['c-ring'] ? ring.medianMs / byVariant['c-ring'].medianMs : null,
};
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(summary, null, 2));
