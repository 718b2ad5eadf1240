/**
 * The tfjs models a config can name: an MLP (784-256-10 by default) or a small CNN
 * (conv3×3-maxpool blocks, then a dense layer), with seeded Glorot initialisation so a run is
 * reproducible. Rank 0's initial weights are broadcast at start-up anyway.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset, TrainableModel } from '@syncopate/core';
import { tfjsModel } from '@syncopate/trainer';
import type { ModelConfig } from '../config/train-config.js';
import { delegateModel } from './delegate-model.js';

/** The tfjs `LayersModel` for an `mlp` or `cnn` config, outputting logits. */
export function buildLayersModel(config: Exclude<ModelConfig, { name: 'linear' }>, data: Dataset, seed: number): tf.LayersModel {
  const classes = data.numClasses;
  if (classes === undefined) throw new Error(`model '${config.name}' needs a classification data set; '${data.name}' has no classes`);
  let layer = 0;
  const init = () => tf.initializers.glorotUniform({ seed: seed * 1000 + layer++ });
  const layers: tf.layers.Layer[] = [];
  if (config.name === 'mlp') {
    config.hidden.forEach((units, i) =>
      layers.push(tf.layers.dense({ units, activation: config.activation, kernelInitializer: init(), ...(i === 0 && { inputShape: [...data.inputShape] }) })),
    );
  } else {
    config.filters.forEach((filters, i) => {
      layers.push(
        tf.layers.conv2d({ filters, kernelSize: 3, activation: 'relu', kernelInitializer: init(), ...(i === 0 && { inputShape: [...data.inputShape] }) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
      );
    });
    layers.push(tf.layers.flatten());
  }
  layers.push(tf.layers.dense({ units: classes, kernelInitializer: init(), ...(layers.length === 0 && { inputShape: [...data.inputShape] }) }));
  return tf.sequential({ layers });
}

/** The trainable model of `config` on `data` (for `mlp` and `cnn`); `dispose` frees its tfjs weights. */
export function buildModel(config: Exclude<ModelConfig, { name: 'linear' }>, data: Dataset, seed: number): TrainableModel {
  const net = buildLayersModel(config, data, seed);
  return delegateModel(tfjsModel(net, { loss: 'softmaxCrossEntropy' }), { dispose: () => net.dispose() });
}

/** A one-line description: `mlp 784-256-10 (relu), 203,530 parameters`. */
export function describeModel(config: ModelConfig, data: Dataset, parameters: number): string {
  const count = parameters.toLocaleString('en-US');
  if (config.name === 'mlp') {
    const widths = [data.inputShape.reduce((a, b) => a * b, 1), ...config.hidden, data.numClasses ?? 1];
    return `mlp ${widths.join('-')} (${config.activation}), ${count} parameters`;
  }
  if (config.name === 'cnn') return `cnn conv3x3 ${config.filters.join('-')} + dense ${data.numClasses}, ${count} parameters`;
  return `linear model of ${data.name}, ${count} parameters`;
}
