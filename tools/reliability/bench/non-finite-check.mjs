#!/usr/bin/env node
// Cost of `nonFinite: 'stop'`'s check before the update: the read-only NaN/Inf pass
// (FlatKernels.firstNonFinite) over a gradient of the benchmark MLP's size, against the SGD update
// (axpy) over the same buffers, in the trainer's wasm memory. Runs on the built trainer (dist/).
//
//   node tools/reliability/bench/non-finite-check.mjs [--floats 203530] [--rounds 7] [--calls 2000]
import { loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { FlatKernels } = await import(pathToFileURL(join(here, '..', '..', '..', 'packages', 'trainer', 'dist', 'index.js')).href);
const { values } = parseArgs({ options: { floats: { type: 'string', default: '203530' }, rounds: { type: 'string', default: '7' }, calls: { type: 'string', default: '2000' } } });
const [n, rounds, calls] = [Number(values.floats), Number(values.rounds), Number(values.calls)];

const kernels = new FlatKernels(2 * n);
const gradients = kernels.allocate(n);
const parameters = kernels.allocate(n);
for (let i = 0; i < n; i++) gradients[i] = Math.sin(i * 1.7);
const microseconds = (call) => {
  for (let i = 0; i < 200; i++) call();
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) call();
  return Number(process.hrtime.bigint() - started) / calls / 1e3;
};
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const loadBefore = loadavg()[0];
const check = [];
const update = [];
for (let r = 0; r < rounds; r++) {
  check.push(microseconds(() => kernels.firstNonFinite(gradients)));
  update.push(microseconds(() => kernels.axpy(parameters, gradients, -1e-9)));
}
console.log(JSON.stringify({
  floats: n,
  arithmetic: kernels.arithmetic,
  rounds,
  callsPerRound: calls,
  checkMicroseconds: Number(median(check).toFixed(1)),
  sgdUpdateMicroseconds: Number(median(update).toFixed(1)),
  loadAverage: [loadBefore, loadavg()[0]],
}));
