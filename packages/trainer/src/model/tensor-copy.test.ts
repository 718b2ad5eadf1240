import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../backend/index.js';
import { readTensorInto, writeVariable } from './tensor-copy.js';
import { tfjsModel } from './tfjs-model.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

async function use(backend: string): Promise<void> {
  if (backend === 'wasm') await startWasmBackend();
  else await tf.setBackend('cpu');
  expect(tf.getBackend()).toBe(backend);
}

describe.each(['wasm', 'cpu'])('tensor copies on %s', (backend) => {
  it('readTensorInto copies exactly what dataSync returns, at the offset', async () => {
    await use(backend);
    const a = tf.randomNormal([7, 5], 0, 1, 'float32', 3);
    const b = tf.tidy(() => a.matMul(a, true, false).add(1)); // a computed tensor, not an upload
    const into = new Float32Array(3 + a.size + b.size).fill(-9);
    readTensorInto(a, into, 3);
    readTensorInto(b, into, 3 + a.size);
    expect([...into.subarray(0, 3)]).toEqual([-9, -9, -9]);
    expect(into.subarray(3, 3 + a.size)).toEqual(a.dataSync());
    expect(into.subarray(3 + a.size)).toEqual(b.dataSync());
    tf.dispose([a, b]);
  });

  it('writeVariable changes what the model computes (matrix products included) and keeps no reference to the buffer', async () => {
    await use(backend);
    const net = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3 })] });
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    net.apply(x); // let the backend set up (and cache) its product operator for the old weights
    const kernel = net.trainableWeights[0]!.read() as tf.Variable;
    const values = new Float32Array(12).fill(1);
    writeVariable(kernel, values);
    values.fill(0);
    const y = net.apply(x) as tf.Tensor;
    expect([...y.dataSync()]).toEqual([10, 10, 10]); // bias 0, kernel all ones
    tf.dispose([x, y]);
  });

  it('one-rank flat-buffer SGD through tfjsModel follows tf.train.sgd step for step', async () => {
    await use(backend);
    const make = () =>
      tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [6], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
          tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }),
        ],
      });
    const [ours, theirs] = [make(), make()];
    const model = tfjsModel(ours, { loss: 'softmaxCrossEntropy' });
    const parameters = model.layout.allocate();
    const gradients = model.layout.allocate();
    model.readParameters(parameters);
    const optimizer = tf.train.sgd(0.5);
    const batch = { size: 5, inputs: Float32Array.from({ length: 30 }, (_, i) => Math.cos(i)), labels: Int32Array.of(0, 1, 2, 1, 0) };
    for (let step = 0; step < 8; step++) {
      const { loss } = await model.computeGradients(batch, gradients);
      for (let i = 0; i < parameters.length; i++) parameters[i] = parameters[i]! - 0.5 * gradients[i]!;
      model.writeParameters(parameters);
      const reference = tf.tidy(() => {
        const y = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), 3);
        return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, theirs.apply(tf.tensor2d(batch.inputs, [5, 6])) as tf.Tensor), true)!.dataSync()[0]!;
      });
      expect(loss).toBeCloseTo(reference, 4);
    }
  });
});
