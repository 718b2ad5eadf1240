/**
 * The data set of a config on one rank: Fashion-MNIST (whole, or a seeded random subset for short
 * runs), or a synthetic problem with a known optimum, which also brings its own linear model.
 */
import type { Batch, Dataset } from '@syncopate/core';
import { arrayDataset, fashionMnist, leastSquares, logisticRegression, type SyntheticProblem } from '@syncopate/data';
import type { DataConfig, ModelConfig } from '../config/train-config.js';

/** What a rank trains on. `problem` is set for synthetic data (its model and optimum). */
export interface RunData {
  readonly dataset: Dataset;
  readonly problem?: SyntheticProblem;
}

function firstBatch(batches: Iterable<Batch>): Batch | undefined {
  for (const batch of batches) return batch;
  return undefined;
}

/**
 * `trainExamples` training examples drawn at random (seeded, the same on every rank) from `full`,
 * and its first `testExamples` test examples, as a new in-memory data set.
 */
export function subsetDataset(full: Dataset, trainExamples: number, testExamples: number, seed: number): Dataset {
  const train = firstBatch(full.trainBatches(0, { rank: 0, size: 1, batchSize: trainExamples, seed, shuffle: 'global', dropLast: true }))!;
  const test = testExamples > 0 ? firstBatch(full.testBatches(testExamples)) : undefined;
  const table = (batch: Batch) => ({ count: batch.size, inputs: batch.inputs, labels: batch.labels! });
  return arrayDataset({
    name: full.name,
    inputShape: full.inputShape,
    ...(full.numClasses !== undefined && { numClasses: full.numClasses }),
    train: table(train),
    ...(test && { test: table(test) }),
  });
}

/** Load or generate the data set `config` names; CNNs get images as [28, 28, 1]. */
export function buildData(config: DataConfig, model: ModelConfig, seed: number): RunData {
  if (config.name === 'fashion-mnist') {
    const full = fashionMnist({ ...(config.dir !== undefined && { dir: config.dir }), flatten: model.name !== 'cnn' });
    const trainExamples = config.trainExamples ?? full.trainSize;
    const testExamples = Math.min(config.testExamples ?? full.testSize, full.testSize);
    const dataset = trainExamples < full.trainSize || testExamples < full.testSize ? subsetDataset(full, trainExamples, testExamples, seed) : full;
    return { dataset };
  }
  const problem = (config.name === 'least-squares' ? leastSquares : logisticRegression)(config.options as never);
  return { dataset: problem.dataset, problem };
}
