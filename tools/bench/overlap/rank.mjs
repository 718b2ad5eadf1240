#!/usr/bin/env node
// One rank of the overlap/priority benchmark on MPI (run by run.mjs through netlab's mpirun).
// Trains a tfjs MLP on Fashion-MNIST with BSP and each scheduler in turn, on the same MPI
// transport, and prints rank 0's JSON result line. See README.md.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '..', '..', '..', 'packages');
const load = (pkg) => import(pathToFileURL(join(packages, pkg, 'dist', 'index.js')).href);
const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '2' },
    batch: { type: 'string', default: '32' },
    hidden: { type: 'string', default: '256,128' },
    configs: { type: 'string', default: 'singleBucket,fusion,priority,singleBucket+overlap,priority+overlap' },
    'bucket-bytes': { type: 'string', default: String(256 << 10) },
    'partition-bytes': { type: 'string', default: String(64 << 10) },
    trace: { type: 'string', default: '' },
    'collective-depth': { type: 'string', default: '' },
  },
});
const steps = Number(values.steps);
const warmup = Number(values.warmup);
const rounds = Number(values.rounds);
const batchSize = Number(values.batch);

const tf = await import('@tensorflow/tfjs');
tf.env().set('PROD', true);
const trainer = await load('trainer');
const { fashionMnist } = await load('data');
const { mpiTransport } = await load('transport-mpi');
const { bsp } = await load('sync-policy');
const scheduler = await load('scheduler');

await trainer.selectBackend({ prefer: 'wasm' });
const data = fashionMnist({ flatten: true });
const depth = values['collective-depth'];
const transport = await mpiTransport({ timeoutMs: 120_000, ...(depth && { collectiveDepth: Number(depth) }) });
const hidden = values.hidden.split(',').map(Number);

function network() {
  const init = (s) => tf.initializers.glorotUniform({ seed: s });
  const layers = hidden.map((units, i) => tf.layers.dense({ ...(i === 0 && { inputShape: [784] }), units, activation: 'relu', kernelInitializer: init(i + 1) }));
  layers.push(tf.layers.dense({ units: 10, kernelInitializer: init(99) }));
  return tf.sequential({ layers });
}

const plugins = {
  singleBucket: () => scheduler.singleBucket(),
  fusion: () => scheduler.fusion({ bucketBytes: Number(values['bucket-bytes']) }),
  priority: () => scheduler.priority({ partitionBytes: Number(values['partition-bytes']) }),
};

/** Median step time (ms, this rank's wall clock) of `steps` steps after `warmup`, and the spans. */
async function measure(config, trace) {
  const [name, overlap] = config.split('+');
  const net = network();
  const t = trainer.createTrainer({
    transport,
    model: trainer.tfjsModel(net, { loss: 'softmaxCrossEntropy' }),
    data,
    plugins: [bsp(), plugins[name]()],
    lr: 0.05,
    batchSize,
    evaluate: false,
    trace,
    overlap: overlap === 'overlap' ? 'next-step' : 'none',
  });
  const totals = [];
  const parts = { compute: 0, communication: 0, wait: 0 };
  t.metrics$.subscribe((e) => {
    if (e.type !== 'step' || e.step < warmup) return;
    totals.push(e.timings.total);
    for (const k of Object.keys(parts)) parts[k] += e.timings[k] / steps;
  });
  await t.fit({ epochs: 1, stopAtStep: warmup + steps });
  const sorted = [...totals].sort((a, b) => a - b);
  const result = { median: sorted[sorted.length >> 1], mean: totals.reduce((a, b) => a + b, 0) / totals.length, parts, parameters: net.countParams() };
  if (trace) writeFileSync(`${values.trace}.rank${transport.rank}.json`, JSON.stringify(trainer.chromeTrace(t.timeline.events())));
  await t.dispose();
  net.dispose();
  return result;
}

const configs = values.configs.split(',');
const runs = Object.fromEntries(configs.map((c) => [c, []]));
for (let r = 0; r < rounds; r++) {
  // Alternate the order of configurations between rounds, so drift hits all of them.
  const order = r % 2 === 0 ? configs : [...configs].reverse();
  for (const name of order) runs[name].push(await measure(name, false));
}
if (values.trace) await measure(configs.at(-1), true);
if (transport.rank === 0) {
  const summary = Object.fromEntries(
    Object.entries(runs).map(([name, rs]) => [name, { medianStepMs: rs.map((x) => x.median).sort((a, b) => a - b)[rs.length >> 1], rounds: rs }]),
  );
  console.log(`RESULT ${JSON.stringify({ ranks: transport.size, batchSize, hidden, parameters: runs[configs[0]][0].parameters, summary })}`);
}
await transport.dispose();
