/**
 * A tfjs `LayersModel` as a `TrainableModel`: its trainable variables, in layer order, become
 * one flat parameter buffer; gradients from `tf.variableGrads` are copied into the caller's flat
 * gradient buffer; parameters are written back with one `assign` per variable.
 *
 * Tensor names are positional (`<layer index>.<layer class>/<weight>`, e.g. `1.Dense/kernel`),
 * not tfjs's auto-numbered names, so two ranks in one process (whose layers tfjs numbers
 * `dense_Dense1`, `dense_Dense2`, …) still agree on the layout.
 *
 * Copies between tensors and the flat buffers go through `tensor-copy.ts` (one copy on wasm,
 * straight from and into the heap; never an alias of the caller's buffer on cpu).
 */
import * as tf from '@tensorflow/tfjs';
import {
  OptionError,
  ParamLayout,
  choiceOption,
  knownOptions,
  type Batch,
  type EvaluationReport,
  type LossReport,
  type TensorSpec,
  type TrainableModel,
} from '@syncopate/core';
import { readTensorInto, writeVariable } from './tensor-copy.js';

/** Options of {@link tfjsModel}. */
export interface TfjsModelOptions {
  /**
   * - `softmaxCrossEntropy`: the model outputs logits; labels are class indices;
   * - `categoricalCrossentropy`: the model outputs probabilities (a softmax last layer);
   * - `meanSquaredError`: the model outputs values compared with the batch's `targets`.
   */
  readonly loss: 'softmaxCrossEntropy' | 'categoricalCrossentropy' | 'meanSquaredError';
}

type Loss = TfjsModelOptions['loss'];

class TfjsModel implements TrainableModel {
  readonly layout: ParamLayout;
  private readonly variables: tf.Variable[];
  private readonly inputShape: number[];
  private readonly outputs: number;
  private scores = new Float32Array(0);

  constructor(
    private readonly model: tf.LayersModel,
    private readonly loss: Loss,
  ) {
    const specs: TensorSpec[] = [];
    this.variables = [];
    model.layers.forEach((layer, index) => {
      for (const weight of layer.trainableWeights) {
        specs.push({ name: `${index}.${layer.getClassName()}/${weight.originalName.split('/').pop()}`, shape: weight.shape as number[] });
        this.variables.push(weight.read() as tf.Variable);
      }
    });
    if (specs.length === 0) throw new OptionError('tfjsModel', 'model', 'has no trainable weights');
    this.layout = ParamLayout.of(specs);
    this.inputShape = (model.inputs[0]!.shape.slice(1) as number[]).map((d) => d ?? -1);
    this.outputs = model.outputs[0]!.shape[model.outputs[0]!.shape.length - 1] ?? 1;
  }

  readParameters(into: Float32Array): void {
    this.layout.entries.forEach((entry, i) => readTensorInto(this.variables[i]!, into, entry.offset));
  }

  writeParameters(from: Float32Array): void {
    this.layout.entries.forEach((entry, i) => writeVariable(this.variables[i]!, from.subarray(entry.offset, entry.offset + entry.length)));
  }

  async computeGradients(batch: Batch, gradients: Float32Array): Promise<LossReport> {
    let report: LossReport = { loss: NaN };
    tf.tidy(() => {
      const x = this.inputs(batch);
      const y = this.targets(batch);
      let predictions: tf.Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        predictions = tf.keep(this.model.apply(x, { training: true }) as tf.Tensor);
        return this.lossOf(y, predictions);
      }, this.variables);
      this.layout.entries.forEach((entry, i) => readTensorInto(grads[this.variables[i]!.name]!, gradients, entry.offset));
      const loss = value.dataSync()[0]!;
      report = this.loss === 'meanSquaredError' ? { loss } : { loss, accuracy: this.correct(predictions!, batch) / batch.size };
      predictions!.dispose();
    });
    return report;
  }

  async evaluate(batch: Batch): Promise<EvaluationReport> {
    return tf.tidy(() => {
      const predictions = this.model.apply(this.inputs(batch), { training: false }) as tf.Tensor;
      const loss = this.lossOf(this.targets(batch), predictions).dataSync()[0]!;
      const correct = this.loss === 'meanSquaredError' ? 0 : this.correct(predictions, batch);
      return { lossSum: loss * batch.size, correct, count: batch.size };
    });
  }

  private inputs(batch: Batch): tf.Tensor {
    const shape = [batch.size, ...this.inputShape];
    if (shape.some((d) => d < 0)) throw new OptionError('tfjsModel', 'model', 'needs a fully defined input shape (apart from the batch dimension)');
    return tf.tensor(batch.inputs, shape, 'float32');
  }

  private targets(batch: Batch): tf.Tensor {
    if (this.loss === 'meanSquaredError') {
      if (!batch.targets) throw new OptionError('tfjsModel', 'loss', "'meanSquaredError' needs batches with targets");
      return tf.tensor(batch.targets, [batch.size, this.outputs], 'float32');
    }
    if (!batch.labels) throw new OptionError('tfjsModel', 'loss', `'${this.loss}' needs batches with class labels`);
    return tf.oneHot(tf.tensor1d(batch.labels, 'int32'), this.outputs);
  }

  private lossOf(y: tf.Tensor, predictions: tf.Tensor): tf.Scalar {
    if (this.loss === 'softmaxCrossEntropy') return tf.losses.softmaxCrossEntropy(y, predictions) as tf.Scalar;
    if (this.loss === 'categoricalCrossentropy') return tf.metrics.categoricalCrossentropy(y, predictions).mean() as tf.Scalar;
    return tf.losses.meanSquaredError(y, predictions) as tf.Scalar;
  }

  /** Rows whose largest output is at the label's index (ties: the first), read without a kernel. */
  private correct(predictions: tf.Tensor, batch: Batch): number {
    const k = this.outputs;
    if (this.scores.length < batch.size * k) this.scores = new Float32Array(batch.size * k);
    readTensorInto(predictions, this.scores, 0);
    let correct = 0;
    for (let row = 0; row < batch.size; row++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (this.scores[row * k + j]! > this.scores[row * k + best]!) best = j;
      if (best === batch.labels![row]) correct++;
    }
    return correct;
  }
}

/**
 * Adapt a tfjs `LayersModel` to the trainer. The model is used as is (no `compile` needed); the
 * trainer's base optimizer, not a tfjs optimizer, updates its weights.
 *
 * @example
 * ```ts
 * const net = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }), tf.layers.dense({ units: 10 })] });
 * const model = tfjsModel(net, { loss: 'softmaxCrossEntropy' });
 * ```
 */
export function tfjsModel(model: tf.LayersModel, options: TfjsModelOptions): TrainableModel {
  knownOptions('tfjsModel', options, ['loss']);
  if (!model || !Array.isArray((model as { layers?: unknown }).layers)) throw new OptionError('tfjsModel', 'model', 'must be a tfjs LayersModel');
  const loss = choiceOption('tfjsModel', 'loss', options?.loss, ['softmaxCrossEntropy', 'categoricalCrossentropy', 'meanSquaredError'] as const);
  return new TfjsModel(model, loss);
}
