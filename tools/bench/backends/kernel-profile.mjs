#!/usr/bin/env node
/**
 * Per-kernel time of one training step of the benchmark CNN (see step-times.mjs), to see where
 * a step goes. Uses tf.profile; kernels called from inside Syncopate's fixed kernels are counted
 * in the fixed kernel's time.
 *
 *   npx tsc -p packages/trainer/tsconfig.lib.json
 *   node tools/bench/backends/kernel-profile.mjs [wasm|cpu] [batch=128] [fixed|stock] [mlp|cnn]
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [backend = 'wasm', batchText = '128', variant = 'fixed', modelName = 'cnn'] = process.argv.slice(2);
const batch = Number(batchText);
const tf = await import('@tensorflow/tfjs');
tf.env().set('PROD', true);
const here = fileURLToPath(import.meta.url);
const fixes = await import(pathToFileURL(join(here, '../../../../packages/trainer/dist/backend/index.js')).href);
if (backend === 'wasm') await fixes.startWasmBackend();
else await tf.setBackend(backend);
if (variant === 'fixed') fixes.applyKernelFixes(backend);

const layers =
  modelName === 'mlp'
    ? [tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }), tf.layers.dense({ units: 10 })]
    : [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10 }),
      ];
const model = tf.sequential({ layers });
const optimizer = tf.train.sgd(0.05);
const x = tf.zeros(modelName === 'mlp' ? [batch, 784] : [batch, 28, 28, 1]).add(0.5);
const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32'), 10);
const step = () => {
  const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)), true);
  loss.dataSync();
  loss.dispose();
};
step();
step();
const profile = await tf.profile(step);
const totals = new Map();
for (const kernel of profile.kernels) {
  const key = `${kernel.name} ${JSON.stringify(kernel.inputShapes)}`;
  totals.set(key, (totals.get(key) ?? 0) + (await kernel.kernelTimeMs));
}
const rows = [...totals].sort((a, b) => b[1] - a[1]);
const sum = rows.reduce((s, [, ms]) => s + ms, 0);
console.log(`${backend} ${variant} ${modelName}, batch ${batch}: ${sum.toFixed(1)} ms in kernels`);
for (const [key, ms] of rows.slice(0, 10)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${key}`);
