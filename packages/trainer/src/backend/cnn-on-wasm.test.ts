import * as tf from '@tensorflow/tfjs';
import { createRng } from '@syncopate/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyKernelFixes } from './kernel-fixes.js';
import { bothBackends, maxAbs, maxAbsDifference, normals } from './testing/compare-backends.js';

const SIDE = 10;

/** 2 classes of 10×10 images: a bright vertical bar (0) or horizontal bar (1) at a random place, plus noise. */
function bars(count: number, stream: string): { x: Float32Array; y: Int32Array } {
  const rng = createRng({ seed: 3, rank: 0, step: 0, stream });
  const x = new Float32Array(count * SIDE * SIDE);
  const y = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = rng.nextInt(2);
    const at = 1 + rng.nextInt(SIDE - 2);
    y[n] = label;
    for (let r = 0; r < SIDE; r++) {
      for (let c = 0; c < SIDE; c++) x[n * SIDE * SIDE + r * SIDE + c] = 0.2 * rng.nextNormal() + ((label === 0 ? c : r) === at ? 1 : 0);
    }
  }
  return { x, y };
}

/** conv(relu) → max-pool → conv(linear: the fused path) → flatten → dense (logits), with seeded weights. */
function tinyCnn(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [SIDE, SIDE, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }), // logits: the loss applies the softmax
    ],
  });
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(normals(w.size, `cnn/${i}`).map((v) => 0.3 * v), w.shape)));
  return model;
}

function loss(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar;
}

describe('a tiny CNN on wasm', () => {
  const data = bars(64, 'train');

  beforeAll(async () => {
    await bothBackends(false);
    expect(applyKernelFixes('wasm')).toEqual(['BatchMatMul', '_FusedMatMul', 'Conv2DBackpropFilter', 'Conv2DBackpropInput']);
  });

  it('gets the same gradients as on the cpu backend', async () => {
    const gradientsOn = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const model = tinyCnn();
      const x = tf.tensor4d(data.x.subarray(0, 16 * SIDE * SIDE), [16, SIDE, SIDE, 1]);
      const y = tf.oneHot(tf.tensor1d(data.y.subarray(0, 16), 'int32'), 2);
      const { grads, value } = tf.variableGrads(() => loss(model, x, y), model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
      const values = await Promise.all(Object.values(grads).map(async (g) => new Float32Array(await g.data())));
      tf.dispose([x, y, value, ...Object.values(grads)]);
      model.dispose();
      return values;
    };
    const reference = await gradientsOn('cpu');
    const fixed = await gradientsOn('wasm');
    expect(fixed).toHaveLength(6);
    for (let i = 0; i < reference.length; i++) expect(maxAbsDifference(fixed[i]!, reference[i]!)).toBeLessThan(1e-4 * maxAbs(reference[i]!) + 1e-7);
  });

  it('trains: 60 SGD steps take the loss below a quarter of its start and classify held-out bars', async () => {
    await tf.setBackend('wasm');
    const model = tinyCnn();
    const optimizer = tf.train.sgd(0.3);
    const x = tf.tensor4d(data.x, [64, SIDE, SIDE, 1]);
    const y = tf.oneHot(tf.tensor1d(data.y, 'int32'), 2);
    const first = (await loss(model, x, y).data())[0]!;
    for (let step = 0; step < 60; step++) {
      const at = (step % 4) * 16;
      const xb = x.slice([at, 0, 0, 0], [16, SIDE, SIDE, 1]);
      const yb = y.slice([at, 0], [16, 2]);
      optimizer.minimize(() => loss(model, xb, yb));
      tf.dispose([xb, yb]);
    }
    const last = (await loss(model, x, y).data())[0]!;
    const test = bars(64, 'test');
    const predictions = tf.tidy(() => (model.predict(tf.tensor4d(test.x, [64, SIDE, SIDE, 1])) as tf.Tensor).argMax(1));
    const predicted = Array.from(await predictions.data());
    const accuracy = predicted.reduce((n, p, i) => n + (p === test.y[i] ? 1 : 0), 0) / 64;
    expect(tf.getBackend()).toBe('wasm');
    console.info(`tiny CNN on wasm: loss ${first.toFixed(3)} → ${last.toFixed(3)}, held-out accuracy ${accuracy}`);
    expect(last).toBeLessThan(first / 4);
    expect(accuracy).toBeGreaterThan(0.85);
    tf.dispose([x, y, predictions]);
    optimizer.dispose();
    model.dispose();
  });
});
