import { StateError, knownOptions, numberOption, type ParamLayout, type Snapshot } from '@syncopate/core';
import { checkLengths, nonFiniteIndex, restoreBuffer, type BaseOptimizer, type OptimizerSpec } from './optimizer.js';

/** Options of {@link adam}. */
export interface AdamOptions {
  /** Decay of the first moment, in [0, 1). Default 0.9. */
  readonly beta1?: number;
  /** Decay of the second moment, in [0, 1). Default 0.999. */
  readonly beta2?: number;
  /** Added to the denominator, > 0. Default 1e-8. */
  readonly epsilon?: number;
}

/**
 * Adam (Kingma & Ba, "Adam: A method for stochastic optimization", ICLR 2015):
 * `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `x ← x − γ·m̂/(√v̂ + ε)` with the bias corrections
 * `m̂ = m/(1−β₁ᵗ)`, `v̂ = v/(1−β₂ᵗ)`. Resetting the buffers also restarts `t`.
 */
export class Adam implements BaseOptimizer {
  readonly name = 'adam';
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(
    length: number,
    private readonly options: Required<AdamOptions>,
  ) {
    this.m = new Float32Array(length);
    this.v = new Float32Array(length);
  }

  step(parameters: Float32Array, gradients: Float32Array, lr: number): number {
    checkLengths(this.name, this.m.length, parameters, gradients);
    const { beta1, beta2, epsilon } = this.options;
    this.t++;
    const c1 = 1 - Math.pow(beta1, this.t);
    const c2 = 1 - Math.pow(beta2, this.t);
    const { m, v } = this;
    let poison = 0;
    for (let i = 0; i < m.length; i++) {
      const g = gradients[i]!;
      poison += g * 0;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      parameters[i] = parameters[i]! - (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + epsilon);
    }
    return nonFiniteIndex(poison, gradients);
  }

  buffers(): readonly Float32Array[] {
    return [this.m, this.v];
  }

  resetBuffers(): void {
    this.m.fill(0);
    this.v.fill(0);
    this.t = 0;
  }

  snapshot(): Snapshot {
    return { m: this.m.slice(), v: this.v.slice(), t: this.t };
  }

  restore(snapshot: Snapshot): void {
    const t = snapshot.t;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) throw new StateError(`adam: snapshot field 't' must be a non-negative integer, got ${String(t)}`);
    restoreBuffer(this.name, snapshot, 'm', this.m);
    restoreBuffer(this.name, snapshot, 'v', this.v);
    this.t = t;
  }
}

/**
 * Adam as the base optimizer (the SlowMo paper's WMT'16 base, "Local Adam").
 *
 * @example
 * ```ts
 * createTrainer({ ..., optimizer: adam({ beta1: 0.9, beta2: 0.98 }), lr: 1e-3 });
 * ```
 */
export function adam(options: AdamOptions = {}): OptimizerSpec<Required<AdamOptions>> {
  knownOptions('adam', options, ['beta1', 'beta2', 'epsilon']);
  const resolved = Object.freeze({
    beta1: numberOption('adam', 'beta1', options.beta1, { min: 0, below: 1 }, 0.9),
    beta2: numberOption('adam', 'beta2', options.beta2, { min: 0, below: 1 }, 0.999),
    epsilon: numberOption('adam', 'epsilon', options.epsilon, { above: 0 }, 1e-8),
  });
  return Object.freeze({ name: 'adam', options: resolved, create: (layout: ParamLayout) => new Adam(layout.totalLength, resolved) });
}
