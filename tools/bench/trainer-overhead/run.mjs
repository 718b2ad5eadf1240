#!/usr/bin/env node
// Per-step overhead of the Syncopate trainer on one rank, against a hand-written tfjs loop that
// trains the same model (same initial weights) on the same Fashion-MNIST batches:
//
//   hand-written: tf.tensor(batch) → optimizer.minimize(softmaxCrossEntropy) → read the loss
//   trainer:      createTrainer({ model: tfjsModel(net), plugins: [] (BSP, identity, one bucket),
//                 optimizer: sgd() }) → fit — flat gradient buffer, exchange stage, flat SGD,
//                 write-back, metrics events, the RxJS step pipeline
//
// Rounds alternate (hand-written, trainer) so drift in machine speed hits both; the overhead is
// the median over rounds of (trainer ms/step − hand-written ms/step) / hand-written ms/step.
// Writes the JSON summary to results/summary.json.
//
//   npx nx run-many -t build -p @syncopate/trainer          # builds the trainer and what it needs
//   node tools/bench/trainer-overhead/run.mjs [--backend wasm|cpu] [--model mlp|cnn] [--batch 128]
//                                             [--steps 50] [--rounds 7] [--warmup 20]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '..', '..', '..', 'packages');
const load = (pkg) => import(pathToFileURL(join(packages, pkg, 'dist', 'index.js')).href);
const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    model: { type: 'string', default: 'mlp' },
    batch: { type: 'string', default: '128' },
    steps: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '7' },
    warmup: { type: 'string', default: '20' },
    lr: { type: 'string', default: '0.05' },
    out: { type: 'string', default: join(here, 'results', 'summary.json') },
  },
});
const batchSize = Number(values.batch);
const steps = Number(values.steps);
const rounds = Number(values.rounds);
const warmup = Number(values.warmup);
const lr = Number(values.lr);

const tf = await import('@tensorflow/tfjs');
tf.env().set('PROD', true);
const loadBefore = loadavg();
const trainer = await load('trainer');
const { fashionMnist } = await load('data');
const { runSimulated } = await load('transport-local');
const { systemClock } = await load('core');

const selection = await trainer.selectBackend({ prefer: values.backend });
const data = fashionMnist({ flatten: values.model === 'mlp' });

function network(seed) {
  const init = (s) => tf.initializers.glorotUniform({ seed: s });
  const layers =
    values.model === 'mlp'
      ? [
          tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu', kernelInitializer: init(seed) }),
          tf.layers.dense({ units: 10, kernelInitializer: init(seed + 1) }),
        ]
      : [
          tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: init(seed) }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: init(seed + 1) }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 10, kernelInitializer: init(seed + 2) }),
        ];
  return tf.sequential({ layers });
}

const shard = { rank: 0, size: 1, batchSize, seed: 0, shuffle: 'global', dropLast: true };
const perEpoch = data.batchesPerEpoch(shard);

/** The hand-written loop: its own model, optimizer and batch iterator, advanced `count` steps per call. */
function handWritten() {
  const model = network(1);
  const optimizer = tf.train.sgd(lr);
  let epoch = 0;
  let iterator = data.trainBatches(epoch, shard)[Symbol.iterator]();
  const inputShape = model.inputs[0].shape.slice(1);
  const losses = [];
  const run = (count) => {
    for (let i = 0; i < count; i++) {
      let next = iterator.next();
      if (next.done) {
        iterator = data.trainBatches(++epoch, shard)[Symbol.iterator]();
        next = iterator.next();
      }
      const batch = next.value;
      tf.tidy(() => {
        const x = tf.tensor(batch.inputs, [batch.size, ...inputShape]);
        const y = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), 10);
        const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })), true);
        losses.push(loss.dataSync()[0]);
      });
    }
  };
  run.losses = losses;
  return run;
}

const timeOf = async (run) => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};

const { results } = await runSimulated(1, async (transport) => {
  const net = network(1);
  const t = trainer.createTrainer({
    transport,
    model: trainer.tfjsModel(net, { loss: 'softmaxCrossEntropy' }),
    data,
    optimizer: trainer.sgd(),
    lr,
    batchSize,
    evaluate: false,
    clock: systemClock,
  });
  let events = 0;
  const losses = [];
  t.metrics$.subscribe((event) => {
    events++;
    if (event.type === 'step') losses.push(event.loss);
  });
  const hand = handWritten();
  let target = 0;
  const trainerSteps = async (count) => {
    target += count;
    await t.fit({ epochs: Math.ceil(target / perEpoch) + 1, stopAtStep: target });
  };
  hand(warmup);
  await trainerSteps(warmup);
  const perRound = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which loop goes first, so a slow spell of the machine does not always hit the same one.
    let handMs;
    let trainerMs;
    if (r % 2 === 0) {
      handMs = (await timeOf(async () => hand(steps))) / steps;
      trainerMs = (await timeOf(() => trainerSteps(steps))) / steps;
    } else {
      trainerMs = (await timeOf(() => trainerSteps(steps))) / steps;
      handMs = (await timeOf(async () => hand(steps))) / steps;
    }
    perRound.push({ handMs, trainerMs, overhead: (trainerMs - handMs) / handMs });
  }
  await t.dispose();
  return { perRound, events, losses, handLosses: hand.losses };
});

const { perRound, events, losses, handLosses } = results[0];
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = {
  benchmark: 'trainer-overhead',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
  // Other jobs on the machine (1-minute load average before and after the run).
  loadAverage: { before: loadBefore[0], after: loadavg()[0] },
  backend: selection.backend,
  backendReason: selection.reason,
  kernelFixes: selection.kernelFixes,
  model: values.model,
  parameters: parameterCount(),
  batchSize,
  stepsPerRound: steps,
  rounds,
  warmupSteps: warmup,
  handWrittenMsPerStep: median(perRound.map((r) => r.handMs)),
  trainerMsPerStep: median(perRound.map((r) => r.trainerMs)),
  overheadPercent: 100 * median(perRound.map((r) => r.overhead)),
  // Least disturbed estimate on a shared machine: the fastest round of each loop.
  bestHandWrittenMsPerStep: Math.min(...perRound.map((r) => r.handMs)),
  bestTrainerMsPerStep: Math.min(...perRound.map((r) => r.trainerMs)),
  targetPercent: 5,
  trainerEvents: events,
  // Same initial weights, batches and learning rate: the two loops must learn alike.
  lossFirst20: { handWritten: mean(handLosses.slice(0, 20)), trainer: mean(losses.slice(0, 20)) },
  lossLast20: { handWritten: mean(handLosses.slice(-20)), trainer: mean(losses.slice(-20)) },
  perRound,
};
summary.bestOverheadPercent = (100 * (summary.bestTrainerMsPerStep - summary.bestHandWrittenMsPerStep)) / summary.bestHandWrittenMsPerStep;
summary.withinTarget = summary.overheadPercent <= summary.targetPercent;

function parameterCount() {
  const model = network(1);
  return model.countParams();
}

mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify({ ...summary, perRound: undefined }, null, 2));
