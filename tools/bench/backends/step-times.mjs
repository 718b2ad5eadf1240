#!/usr/bin/env node
/**
 * Training-step times of tfjs backends, stock and with Syncopate's kernel fixes
 * (packages/trainer/src/backend). Each configuration runs in its own Node process, because the
 * fixes change tfjs's global kernel registry.
 *
 *   npx tsc -p packages/trainer/tsconfig.lib.json     # builds packages/trainer/dist/backend
 *   node tools/bench/backends/step-times.mjs [--steps 20] [--cnn-steps 3] [--slow]
 *
 * Models (batch 128, SGD lr 0.05, softmax cross-entropy, inputs built from typed arrays):
 *   mlp: 784-256(relu)-10 (203,530 parameters)
 *   cnn: conv3×3×32(relu)-maxpool2-conv3×3×64(relu)-maxpool2-dense10 on 28×28×1 (34,826 parameters)
 * A step is `optimizer.minimize(loss, true)` plus reading the loss back; 3 warm-up steps.
 * `--slow` adds the cpu backend's stock CNN step (about a minute per step).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(import.meta.url);
const fixesModule = pathToFileURL(join(here, '../../../../packages/trainer/dist/backend/index.js')).href;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};

if (args[0] === '--run') {
  const [, backend, variant, modelName, steps] = args;
  console.log(JSON.stringify(await run(backend, variant, modelName, Number(steps))));
} else {
  const steps = option('--steps', 20);
  const cnnSteps = option('--cnn-steps', 3);
  const configs = [
    ['cpu', 'stock', 'mlp', steps],
    ['wasm', 'stock', 'mlp', steps],
    ['wasm', 'fixed', 'mlp', steps],
    ['wasm', 'stock', 'cnn', cnnSteps],
    ['wasm', 'fixed', 'cnn', cnnSteps],
    ['cpu', 'fixed', 'cnn', 1],
    ...(args.includes('--slow') ? [['cpu', 'stock', 'cnn', 1]] : []),
  ];
  console.log('| backend | kernels | model | ms/step (median) | min–max | steps |');
  console.log('|---|---|---|---|---|---|');
  for (const config of configs) {
    const child = spawnSync(process.execPath, [here, '--run', ...config.map(String)], { encoding: 'utf8' });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    let result;
    try {
      result = JSON.parse(line);
    } catch {
      result = { error: (child.stderr || line).trim().split('\n').slice(-1)[0] };
    }
    const [backend, variant, model, n] = config;
    if (result.error) console.log(`| ${backend} | ${variant} | ${model} | fails: ${result.error} | | ${n} |`);
    else console.log(`| ${backend} | ${variant} | ${model} | ${result.median.toFixed(1)} | ${result.min.toFixed(1)}–${result.max.toFixed(1)} | ${n} |`);
  }
}

async function run(backend, variant, modelName, steps) {
  const tf = await import('@tensorflow/tfjs');
  tf.env().set('PROD', true); // mute the "install our node backend" banner
  const fixes = await import(fixesModule);
  if (backend === 'wasm') await fixes.startWasmBackend();
  else await tf.setBackend('cpu');
  if (variant === 'fixed') fixes.applyKernelFixes(backend);
  const batch = 128;
  const model = modelName === 'mlp' ? mlp(tf) : cnn(tf);
  const optimizer = tf.train.sgd(0.05);
  const inputSize = 784;
  // Deterministic pseudo-data (a linear congruential sequence); values do not affect the timing.
  const inputs = new Float32Array(batch * inputSize);
  let state = 1;
  for (let i = 0; i < inputs.length; i++) inputs[i] = ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);
  const shape = modelName === 'mlp' ? [batch, inputSize] : [batch, 28, 28, 1];
  const step = async () => {
    const x = tf.tensor(inputs, shape);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)), true);
    await loss.data();
    tf.dispose([x, y, loss]);
  };
  try {
    for (let i = 0; i < Math.min(3, steps); i++) await step();
    const times = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await step();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1] };
  } catch (error) {
    return { error: error.message.split('\n')[0] };
  }
}

function mlp(tf) {
  return tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }), tf.layers.dense({ units: 10 })] });
}

function cnn(tf) {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ],
  });
}
