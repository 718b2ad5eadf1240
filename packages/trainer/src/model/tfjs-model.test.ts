import * as tf from '@tensorflow/tfjs';
import { OptionError } from '@syncopate/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfjsModel } from './tfjs-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function net(seed: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [3], units: 4, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
}

const batch = { size: 4, inputs: Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)), labels: Int32Array.of(0, 1, 1, 0) };

describe('tfjsModel', () => {
  it('lays out the trainable weights by position, so two copies of one architecture agree', () => {
    const a = tfjsModel(net(1), { loss: 'softmaxCrossEntropy' });
    const b = tfjsModel(net(2), { loss: 'softmaxCrossEntropy' });
    expect(a.layout.describe()).toBe('0.Dense/kernel:[3,4];0.Dense/bias:[4];1.Dense/kernel:[4,2];1.Dense/bias:[2]');
    expect(b.layout.hash()).toBe(a.layout.hash());
  });

  it('writes and reads parameters without aliasing the caller’s buffer', () => {
    const model = tfjsModel(net(3), { loss: 'softmaxCrossEntropy' });
    const values = Float32Array.from({ length: model.layout.totalLength }, (_, i) => i / 10);
    model.writeParameters(values);
    values.fill(-1);
    const back = model.layout.allocate();
    model.readParameters(back);
    expect(back[5]).toBeCloseTo(0.5, 6);
    expect(back[model.layout.totalLength - 1]).toBeCloseTo((model.layout.totalLength - 1) / 10, 5);
  });

  it('returns the gradient of the loss: a central finite difference agrees', async () => {
    const model = tfjsModel(net(4), { loss: 'softmaxCrossEntropy' });
    const theta = model.layout.allocate();
    model.readParameters(theta);
    const gradients = model.layout.allocate();
    const { loss, accuracy } = await model.computeGradients(batch, gradients);
    expect(loss).toBeGreaterThan(0);
    expect(accuracy).toBeGreaterThanOrEqual(0);
    const lossAt = async (p: Float32Array) => {
      model.writeParameters(p);
      return (await model.evaluate(batch)).lossSum / batch.size;
    };
    for (const index of [0, 7, 14, theta.length - 1]) {
      const h = 1e-2;
      const plus = theta.slice();
      plus[index]! += h;
      const minus = theta.slice();
      minus[index]! -= h;
      const numeric = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * h);
      expect(gradients[index]).toBeCloseTo(numeric, 3);
    }
  });

  it('counts correct predictions and rejects batches without the labels its loss needs', async () => {
    const net6 = net(5);
    const model = tfjsModel(net6, { loss: 'softmaxCrossEntropy' });
    const labels = Int32Array.of(0, 1, 1, 0);
    const predicted = tf.tidy(() => (net6.predict(tf.tensor2d(batch.inputs, [4, 3])) as tf.Tensor).argMax(-1).dataSync());
    const expected = labels.reduce((n, label, i) => n + (predicted[i] === label ? 1 : 0), 0);
    const report = await model.evaluate(batch);
    expect(report).toMatchObject({ count: 4, correct: expected });
    const { accuracy } = await model.computeGradients(batch, model.layout.allocate());
    expect(accuracy).toBe(expected / 4);
    await expect(model.computeGradients({ size: 4, inputs: batch.inputs }, model.layout.allocate())).rejects.toThrow(/needs batches with class labels/);
    expect(() => tfjsModel(net(6), { loss: 'hinge' as never })).toThrow(OptionError);
  });
});
