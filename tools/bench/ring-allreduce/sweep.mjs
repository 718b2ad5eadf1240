#!/usr/bin/env node
// Tuning sweep of the ring allreduce on the shaped lab of run.mjs: for each segment size and
// pipeline depth, the median (slowest-rank) time of `iterations` ring allreduces, and its
// fraction of the bound 2(n − 1)/n · M/B, all in one lab, settings interleaved round by round
// so that a change of the machine's load hits every setting alike.
//
//   sudo node tools/bench/ring-allreduce/sweep.mjs [--segments 1048576,4194304] [--depths 4,8]
//                                                  [--rounds 2] [--iterations 3] [--nice=-10]
import { loadavg } from 'node:os';
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
    segments: { type: 'string', default: '1048576,4194304' },
    depths: { type: 'string', default: '4,8' },
    rounds: { type: 'string', default: '2' },
    iterations: { type: 'string', default: '3' },
    nice: { type: 'string', default: '0' },
  },
});
const floats = Math.round(Number(values.floats));
const ranks = Number(values.ranks);
const rateBits = { k: 1e3, m: 1e6, g: 1e9 }[/^[\d.]+([kmg])bit$/i.exec(values.rate)?.[1]?.toLowerCase() ?? 'g'] * Number.parseFloat(values.rate);
const boundMs = ((2 * (ranks - 1)) / ranks) * ((4 * floats * 8) / rateBits) * 1000;
const settings = values.segments.split(',').flatMap((segment) => values.depths.split(',').map((depth) => ({ segment, depth })));
const nice = Number(values.nice);
const prefix = nice === 0 ? [] : ['nice', '-n', String(nice)];

const rows = [];
await withNetlab({ hosts: ranks, rate: values.rate, timeoutS: 1800 }, async (lab) => {
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const { segment, depth } of settings) {
      const load = loadavg()[0];
      const run = await lab.mpirun([...prefix, 'node', join(here, 'rank.mjs'), String(floats), values.iterations, '1', 'ring'], {
        np: ranks,
        timeoutS: 600,
        env: { RING_SEGMENT_BYTES: segment, RING_DEPTH: depth },
      });
      const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      const result = JSON.parse(line.slice(7));
      const row = { round, segmentBytes: Number(segment), depth: Number(depth), load, medianMs: result.medianMs, fraction: boundMs / result.medianMs, timesMs: result.timesMs };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
});
console.log(`bound ${boundMs.toFixed(1)} ms`);
