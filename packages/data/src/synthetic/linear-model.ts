import { LayoutMismatchError, OptionError, ParamLayout, type Batch, type EvaluationReport, type LossReport, type TrainableModel } from '@syncopate/core';
import { linearOutput, type LinearObjective } from './linear-objective.js';

/** The parameter layout of a linear model with `features` inputs: `weights` [d] then `bias` [1]. */
export function linearLayout(features: number): ParamLayout {
  return ParamLayout.of([
    { name: 'weights', shape: [features] },
    { name: 'bias', shape: [1] },
  ]);
}

/**
 * A linear model z = wᵀx + b trained on a {@link LinearObjective}, in pure TypeScript with exact
 * analytic gradients (float64 arithmetic, float32 parameters). Regression reads `batch.targets`;
 * binary classification reads `batch.labels` (0 or 1) and reports accuracy (z ≥ 0 predicts 1).
 * Parameters start at zero.
 */
export class LinearModel implements TrainableModel {
  readonly layout: ParamLayout;
  private readonly theta: Float32Array;

  constructor(
    private readonly name: string,
    private readonly features: number,
    private readonly objective: LinearObjective,
    private readonly classification: boolean,
  ) {
    this.layout = linearLayout(features);
    this.theta = this.layout.allocate();
  }

  readParameters(into: Float32Array): void {
    this.checkLength('readParameters', into);
    into.set(this.theta);
  }

  writeParameters(from: Float32Array): void {
    this.checkLength('writeParameters', from);
    this.theta.set(from);
  }

  async computeGradients(batch: Batch, gradients: Float32Array): Promise<LossReport> {
    this.checkLength('computeGradients', gradients);
    const d = this.features;
    const targets = this.targetsOf(batch);
    const sum = new Float64Array(d + 1);
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < batch.size; i++) {
      const z = linearOutput(this.theta, batch.inputs, i, d);
      const y = targets[i]!;
      loss += this.objective.loss.value(z, y);
      const s = this.objective.loss.slope(z, y);
      for (let j = 0; j < d; j++) sum[j]! += s * batch.inputs[i * d + j]!;
      sum[d]! += s;
      if (this.classification && (z >= 0 ? 1 : 0) === y) correct++;
    }
    let penalty = 0;
    for (let j = 0; j <= d; j++) {
      const weightDecay = j < d ? this.objective.l2 * this.theta[j]! : 0;
      gradients[j] = sum[j]! / batch.size + weightDecay;
      if (j < d) penalty += this.theta[j]! * this.theta[j]!;
    }
    const report: LossReport = { loss: loss / batch.size + 0.5 * this.objective.l2 * penalty };
    return this.classification ? { ...report, accuracy: correct / batch.size } : report;
  }

  async evaluate(batch: Batch): Promise<EvaluationReport> {
    const targets = this.targetsOf(batch);
    let lossSum = 0;
    let correct = 0;
    for (let i = 0; i < batch.size; i++) {
      const z = linearOutput(this.theta, batch.inputs, i, this.features);
      lossSum += this.objective.loss.value(z, targets[i]!);
      if (this.classification && (z >= 0 ? 1 : 0) === targets[i]) correct++;
    }
    return { lossSum, correct, count: batch.size };
  }

  private targetsOf(batch: Batch): ArrayLike<number> {
    const targets = this.classification ? batch.labels : batch.targets;
    const what = this.classification ? 'labels' : 'targets';
    if (!targets || targets.length !== batch.size) {
      throw new OptionError(this.name, `batch.${what}`, `must hold ${batch.size} values, got ${targets ? targets.length : 'none'}`);
    }
    if (batch.inputs.length !== batch.size * this.features) {
      throw new OptionError(this.name, 'batch.inputs', `must hold ${batch.size} × ${this.features} values, got ${batch.inputs.length}`);
    }
    return targets;
  }

  private checkLength(operation: string, buffer: Float32Array): void {
    if (buffer.length !== this.layout.totalLength) {
      throw new LayoutMismatchError(`${this.name}.${operation}: buffer has ${buffer.length} elements but the layout has ${this.layout.totalLength}`);
    }
  }
}
