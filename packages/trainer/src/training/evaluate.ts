import type { Dataset, TrainableModel } from '@syncopate/core';

/** Mean loss and accuracy over a test set (NaN when it is empty). */
export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number;
  readonly count: number;
}

/** Evaluate `model` on every test batch of `data`, in batches of `batchSize`. */
export async function evaluateOnTestSet(model: TrainableModel, data: Dataset, batchSize: number): Promise<Evaluation> {
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  for (const batch of data.testBatches(batchSize)) {
    const report = await model.evaluate(batch);
    lossSum += report.lossSum;
    correct += report.correct;
    count += report.count;
  }
  return { loss: count > 0 ? lossSum / count : NaN, accuracy: count > 0 ? correct / count : NaN, count };
}
