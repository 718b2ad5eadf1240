#!/usr/bin/env node
// Overlap and priority scheduling benchmark (issue #8): BSP step time of a tfjs MLP on 4 MPI ranks
// in a 4-host netlab shaped to 100 Mbit, with one bucket, tensor fusion and priority partitions.
// Writes results/summary.json (step times and ratios) and results/trace.json (merged timeline
// of the last configuration, for Perfetto).
//
//   npx nx run-many -t build            # dist of every package (the ranks load dist)
//   node tools/bench/overlap/run.mjs [--rate 100mbit] [--steps 20] [--rounds 3] [--batch 32]
//                                    [--bucket-bytes 262144] [--partition-bytes 262144] [--out DIR]
//                                    [--collective-depth N]  (MpiTransport's collectiveDepth; default: its own)
//
// Needs root (netlab). Each rank runs tools/bench/overlap/rank.mjs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '100mbit' },
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    'bucket-bytes': { type: 'string', default: String(256 << 10) },
    'partition-bytes': { type: 'string', default: String(256 << 10) },
    hidden: { type: 'string', default: '256,128' },
    batch: { type: 'string', default: '32' },
    out: { type: 'string', default: join(here, 'results') },
    'collective-depth': { type: 'string', default: '' },
  },
});
const netlab = join(root, 'tools', 'netlab', 'netlab.sh');
const loadAtStart = loadavg();
const lab = `ov${process.pid % 100000}`;
mkdirSync(values.out, { recursive: true });
const traceBase = join(values.out, 'trace');
execFileSync(netlab, ['--lab', lab, 'up', '--hosts', '4', '--rate', values.rate, '--ttl-s', '1800', '--owner-pid', String(process.pid)], { stdio: 'inherit' });
let output;
try {
  output = execFileSync(
    netlab,
    ['--lab', lab, 'mpirun', '-np', '4', '--timeout-s', '1500', '--', process.execPath, join(here, 'rank.mjs'),
      '--steps', values.steps, '--warmup', values.warmup, '--rounds', values.rounds, '--hidden', values.hidden, '--batch', values.batch,
      '--bucket-bytes', values['bucket-bytes'], '--partition-bytes', values['partition-bytes'], '--trace', traceBase,
      ...(values['collective-depth'] ? ['--collective-depth', values['collective-depth']] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
} finally {
  execFileSync(netlab, ['--lab', lab, 'down'], { stdio: 'inherit' });
}
const line = output.split('\n').find((l) => l.startsWith('RESULT '));
if (!line) throw new Error(`no RESULT line in the ranks' output:\n${output.slice(-4000)}`);
const result = JSON.parse(line.slice(7));
const { mergeTraces, writeChromeTrace } = await import(pathToFileURL(join(root, 'packages', 'trainer', 'dist', 'index.js')).href);
const files = [0, 1, 2, 3].map((r) => `${traceBase}.rank${r}.json`);
writeChromeTrace(join(values.out, 'trace.json'), mergeTraces(files));
for (const f of files) rmSync(f, { force: true });
const base = result.summary.singleBucket.medianStepMs;
const summary = {
  network: `netlab, 4 hosts, ${values.rate} (tc tbf), Open MPI over TCP`,
  model: `tfjs MLP 784-${result.hidden.join('-')}-10 (${result.parameters} parameters), wasm backend, batch ${result.batchSize} per rank`,
  policy: 'bsp',
  options: { bucketBytes: Number(values['bucket-bytes']), partitionBytes: Number(values['partition-bytes']), steps: Number(values.steps), rounds: Number(values.rounds), collectiveDepth: values['collective-depth'] ? Number(values['collective-depth']) : 'default' },
  medianStepMs: Object.fromEntries(Object.entries(result.summary).map(([k, v]) => [k, v.medianStepMs])),
  ratioToSingleBucket: Object.fromEntries(Object.entries(result.summary).map(([k, v]) => [k, v.medianStepMs / base])),
  overlap:
    "'+overlap' = trainer option overlap: 'next-step' (each step's average is applied one step late while the next step computes: pipelined SGD, not BSP; exact per-layer WFBP is not possible in tfjs, see docs/algorithms/wait-free-backprop.md)",
  // Issue #8 acceptance: step time with overlap + priority over step time with neither.
  acceptance: {
    ratio: result.summary['priority+overlap'] ? result.summary['priority+overlap'].medianStepMs / base : null,
    of: "median step time of 'priority+overlap' / 'singleBucket' (no priority, no overlap); below 1 means overlap + priority is faster",
  },
  // 1, 5 and 15 minute load averages (os.loadavg) before and after: the machine is shared.
  loadAverage: { start: loadAtStart.map((x) => Number(x.toFixed(2))), end: loadavg().map((x) => Number(x.toFixed(2))) },
  rounds: result.summary,
};
writeFileSync(join(values.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify({ medianStepMs: summary.medianStepMs, ratioToSingleBucket: summary.ratioToSingleBucket, acceptance: summary.acceptance, loadAverage: summary.loadAverage }, null, 2));
