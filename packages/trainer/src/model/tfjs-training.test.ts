import * as tf from '@tensorflow/tfjs';
import type { EpochEvent } from '@syncopate/core';
import { logisticRegression } from '@syncopate/data';
import { localSgd } from '@syncopate/sync-policy';
import { runSimulated } from '@syncopate/transport-local';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrainer } from '../create-trainer.js';
import { adam } from '../optimizers/adam.js';
import { tfjsModel } from './tfjs-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('training a tfjs model through createTrainer', () => {
  it('learns a classification task on 2 ranks and leaves them with identical weights in tfjs', async () => {
    const problem = logisticRegression({ samples: 512, features: 6, seed: 5 });
    const { results } = await runSimulated(2, async (transport, rank) => {
      const net = tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [6], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 10 + rank }) }),
          tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 20 + rank }) }),
        ],
      });
      const trainer = createTrainer({
        transport,
        model: tfjsModel(net, { loss: 'softmaxCrossEntropy' }),
        data: problem.dataset,
        plugins: [localSgd({ period: 4 })],
        optimizer: adam(),
        lr: 0.01,
        batchSize: 16,
      });
      const epochs: EpochEvent[] = [];
      trainer.metrics$.subscribe((e) => e.type === 'epoch' && epochs.push(e));
      await trainer.fit({ epochs: 4 });
      const weights = net.getWeights().map((w) => Array.from(w.dataSync()));
      await trainer.dispose();
      return { epochs, weights };
    });
    expect(results[1]!.weights).toEqual(results[0]!.weights);
    const [first, last] = [results[0]!.epochs[0]!, results[0]!.epochs.at(-1)!];
    expect(last.trainLoss).toBeLessThan(first.trainLoss);
    expect(last.testAccuracy).toBeGreaterThan(0.7);
  });
});
