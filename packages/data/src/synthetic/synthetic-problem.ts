import { LayoutMismatchError, OptionError, SHARED_RANK, createRng, type Dataset, type ParamLayout, type Rng, type TrainableModel } from '@syncopate/core';
import { arrayDataset } from '../array-dataset.js';
import { objectiveAndGradient, type LinearObjective, type LinearRows } from './linear-objective.js';
import { LinearModel } from './linear-model.js';
import { newtonMinimize, type NewtonResult } from './newton.js';

/**
 * A convex problem whose minimiser is known, for convergence and equivalence tests of
 * distributed algorithms: the training objective F(θ) over the whole training set (all ranks'
 * shards together), its minimiser θ★ and F(θ★).
 */
export interface SyntheticProblem {
  readonly dataset: Dataset;
  readonly layout: ParamLayout;
  /** The parameters that generated the data, `[w, b]` (not the minimiser: noise moves it). A copy. */
  readonly generatingParameters: Float32Array;
  /**
   * θ★ = argmin F, rounded to float32. Computed in float64 by Newton's method the first time it is
   * read (for least squares that is one exact solve of the normal equations). A copy.
   */
  readonly optimum: Float32Array;
  /** F(θ★) in float64. */
  readonly optimalLoss: number;
  /** F(θ) over the training set, in float64 (the penalty included). */
  objective(parameters: Float32Array): number;
  /** A fresh model with parameters at zero. Models share the data but not their parameters. */
  createModel(): TrainableModel;
}

/** What one problem family adds to the common construction. */
export interface ProblemDefinition {
  readonly name: string;
  readonly samples: number;
  readonly testSamples: number;
  readonly features: number;
  readonly seed: number;
  readonly objective: LinearObjective;
  readonly classification: boolean;
  /** The target of one example from its noiseless linear output z = w_genᵀx + b_gen. */
  target(z: number, rng: Rng): number;
  /**
   * Whether the point where Newton's method stopped is a true minimiser. Logistic regression
   * without a penalty on separable data drives the gradient to 0 while ‖w‖ grows without bound.
   */
  isMinimiser?(theta: Float64Array, rows: LinearRows): boolean;
}

/**
 * Build a problem: inputs xᵢ ~ N(0, I), generating weights w_gen ~ N(0, 4/d·I) and bias
 * b_gen ~ N(0, 1) (so the linear output has a standard deviation near 2), targets from
 * `definition.target`. Every draw comes from core's seeded generator: the same options give the
 * same bytes on every rank and every run.
 */
export function syntheticProblem(definition: ProblemDefinition): SyntheticProblem {
  const { name, features, seed } = definition;
  const draw = (stream: string) => createRng({ seed, rank: SHARED_RANK, step: 0, stream: `${name}/${stream}` });
  const weightRng = draw('generating-parameters');
  const generating = new Float32Array(features + 1);
  for (let j = 0; j < features; j++) generating[j] = weightRng.nextNormal() * (2 / Math.sqrt(features));
  generating[features] = weightRng.nextNormal();

  const table = (count: number, stream: string) => {
    const rng = draw(stream);
    const inputs = new Float32Array(count * features);
    for (let k = 0; k < inputs.length; k++) inputs[k] = rng.nextNormal();
    const targets = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      let z = generating[features]!;
      for (let j = 0; j < features; j++) z += generating[j]! * inputs[i * features + j]!;
      targets[i] = definition.target(z, rng);
    }
    return { count, inputs, targets };
  };
  const train = table(definition.samples, 'train');
  const test = table(definition.testSamples, 'test');
  const asTable = (t: typeof train) =>
    definition.classification ? { count: t.count, inputs: t.inputs, labels: Int32Array.from(t.targets) } : t;
  const dataset = arrayDataset({
    name,
    inputShape: [features],
    ...(definition.classification && { numClasses: 2 }),
    train: asTable(train),
    test: asTable(test),
  });
  const rows: LinearRows = { count: train.count, features, inputs: train.inputs, targets: train.targets };
  return new LinearProblem(definition, dataset, rows, generating);
}

class LinearProblem implements SyntheticProblem {
  readonly layout: ParamLayout;
  private solved: NewtonResult | undefined;

  constructor(
    private readonly definition: ProblemDefinition,
    readonly dataset: Dataset,
    private readonly rows: LinearRows,
    private readonly generating: Float32Array,
  ) {
    this.layout = this.createModel().layout;
  }

  get generatingParameters(): Float32Array {
    return this.generating.slice();
  }

  get optimum(): Float32Array {
    return Float32Array.from(this.solve().theta);
  }

  get optimalLoss(): number {
    return this.solve().value;
  }

  objective(parameters: Float32Array): number {
    if (parameters.length !== this.layout.totalLength) {
      throw new LayoutMismatchError(`${this.definition.name}.objective: buffer has ${parameters.length} elements but the layout has ${this.layout.totalLength}`);
    }
    return objectiveAndGradient(this.definition.objective, parameters, this.rows);
  }

  createModel(): TrainableModel {
    const { name, features, objective, classification } = this.definition;
    return new LinearModel(name, features, objective, classification);
  }

  private solve(): NewtonResult {
    if (!this.solved) {
      const result = newtonMinimize(this.definition.objective, this.rows);
      const accepted = result && (this.definition.isMinimiser?.(result.theta, this.rows) ?? true);
      if (accepted) this.solved = result;
    }
    if (!this.solved) {
      const hint = this.definition.objective.l2 > 0 ? 'use more samples' : 'the classes are separable: set l2 > 0 or use more samples';
      throw new OptionError(this.definition.name, 'samples', `${this.rows.count} samples of ${this.definition.features} features give no unique minimiser (${hint})`);
    }
    return this.solved;
  }
}
