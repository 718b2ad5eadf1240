#!/usr/bin/env node
// Ring allreduce on a shaped network: 4 network namespaces joined by a bridge, every link shaped
// to 1 Gbit/s in each direction with `tc tbf` (tools/netlab), one MPI rank per namespace over TCP.
// Measures our ring allreduce of 1e7 floats against the bandwidth bound 2(n − 1)/n · M/B and
// against Open MPI's own allreduce (through our binding, and from C through mpi4py), and writes
// the JSON summary to results/summary.json.
//
//   sudo node tools/bench/ring-allreduce/run.mjs [--floats 1e7] [--ranks 4] [--rate 1gbit] [--iterations 5] [--json FILE]
//
// Needs root (namespaces, tc), openmpi-bin, python3-mpi4py and the built packages
// (npx nx run-many -t build).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
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
  },
});
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

const measured = await withNetlab({ hosts: ranks, rate: values.rate, timeoutS: 1200 }, async (lab) => {
  const node = await lab.mpirun(['node', join(here, 'rank.mjs'), String(floats), values.iterations, values.warmup, 'ring,native'], { np: ranks, timeoutS: 900 });
  const python = await lab.mpirun(['/usr/bin/python3', join(here, 'mpi4py-allreduce.py'), String(floats), values.iterations, values.warmup], { np: ranks, timeoutS: 900 });
  return [...results(node.stdout), ...results(python.stdout)];
});

const byVariant = Object.fromEntries(measured.map((r) => [r.variant, r]));
const ring = byVariant.ring;
const summary = {
  benchmark: 'ring-allreduce',
  started,
  network: { ranks, rate: values.rate, shaper: 'tbf', bitsPerSecond: rateBits },
  machine: { cores: cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: loadavg()[0] },
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
};
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(summary, null, 2));
