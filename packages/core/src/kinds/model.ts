import type { ParamLayout } from '../layout.js';
import type { Batch } from './dataset.js';

/** Loss (and accuracy, for classification) of one forward pass. */
export interface LossReport {
  readonly loss: number;
  readonly accuracy?: number;
}

/** Summed loss and correct predictions over an evaluation batch. */
export interface EvaluationReport {
  readonly lossSum: number;
  readonly correct: number;
  readonly count: number;
}

/**
 * What the trainer needs of a model: its parameters as one flat buffer with a fixed layout, and
 * gradients of the loss on a batch written into another. The tfjs adapter lives in
 * `@syncopate/trainer`; pure-TypeScript problems with a known optimum live in `@syncopate/data`.
 */
export interface TrainableModel {
  readonly layout: ParamLayout;
  /** Copy the current parameters into `into` (layout order). */
  readParameters(into: Float32Array): void;
  /** Set the parameters from `from` (layout order); the model keeps no reference to `from`. */
  writeParameters(from: Float32Array): void;
  /** Forward and backward on `batch`: write ∂loss/∂θ into `gradients`; return the batch loss. */
  computeGradients(batch: Batch, gradients: Float32Array): Promise<LossReport>;
  /** Forward only. */
  evaluate(batch: Batch): Promise<EvaluationReport>;
  dispose?(): void;
}
