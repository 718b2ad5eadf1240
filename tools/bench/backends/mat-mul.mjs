#!/usr/bin/env node
/**
 * Matrix products with transposed operands on the wasm backend, stock and after Syncopate's
 * transposed-mat-mul fix, and the largest difference between the two results.
 *
 *   npx tsc -p packages/trainer/tsconfig.lib.json
 *   node tools/bench/backends/mat-mul.mjs [repetitions=20]
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repetitions = Number(process.argv[2] ?? 20);
const tf = await import('@tensorflow/tfjs');
tf.env().set('PROD', true);
const here = fileURLToPath(import.meta.url);
const fixes = await import(pathToFileURL(join(here, '../../../../packages/trainer/dist/backend/index.js')).href);
await fixes.startWasmBackend();

const cases = [
  ['dense weight gradient xᵀ·dy', [128, 784], [128, 256], true, false],
  ['dense input gradient dy·Wᵀ', [128, 256], [784, 256], false, true],
  ['small xᵀ·dy', [128, 256], [128, 10], true, false],
  ['batched, both transposed', [8, 64, 64], [8, 64, 64], true, true],
  ['1024³ with transposeA', [1024, 1024], [1024, 1024], true, false],
].map(([name, a, b, ta, tb]) => ({ name, a: tf.randomNormal(a), b: tf.randomNormal(b), ta, tb, repeat: a[0] === 1024 ? 2 : repetitions }));

function time({ a, b, ta, tb, repeat }) {
  tf.dispose(tf.matMul(a, b, ta, tb));
  const t0 = performance.now();
  for (let i = 0; i < repeat; i++) {
    const r = tf.matMul(a, b, ta, tb);
    r.dataSync();
    r.dispose();
  }
  return (performance.now() - t0) / repeat;
}

const stock = cases.map((c) => ({ ms: time(c), values: tf.matMul(c.a, c.b, c.ta, c.tb).dataSync().slice() }));
fixes.applyTransposedMatMulFix('wasm');
console.log('| product | stock ms | fixed ms | max |difference| |');
console.log('|---|---|---|---|');
cases.forEach((c, i) => {
  const ms = time(c);
  const values = tf.matMul(c.a, c.b, c.ta, c.tb).dataSync();
  let worst = 0;
  for (let k = 0; k < values.length; k++) worst = Math.max(worst, Math.abs(values[k] - stock[i].values[k]));
  console.log(`| ${c.name} ${c.a.shape.join('×')}${c.ta ? 'ᵀ' : ''} · ${c.b.shape.join('×')}${c.tb ? 'ᵀ' : ''} | ${stock[i].ms.toFixed(2)} | ${ms.toFixed(2)} | ${worst.toExponential(1)} |`);
});
