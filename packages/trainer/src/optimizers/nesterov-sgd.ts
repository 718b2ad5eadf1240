import { knownOptions, numberOption, type ParamLayout, type Snapshot } from '@syncopate/core';
import { checkLengths, nonFiniteIndex, restoreBuffer, type BaseOptimizer, type OptimizerSpec } from './optimizer.js';

/** Options of {@link nesterovSgd}. */
export interface NesterovSgdOptions {
  /** Momentum factor μ in [0, 1). Default 0.9. */
  readonly momentum?: number;
}

/**
 * SGD with Nesterov momentum (Nesterov, "A method for solving the convex programming problem with
 * convergence rate O(1/k²)", 1983), in the look-ahead form of Sutskever et al., "On the importance
 * of initialization and momentum in deep learning", ICML 2013, as PyTorch writes it:
 * `v ← μ·v + g`, `x ← x − γ·(g + μ·v)`. The SlowMo paper's CIFAR-10 and ImageNet base optimizer.
 */
export class NesterovSgd implements BaseOptimizer {
  readonly name = 'nesterovSgd';
  private readonly velocity: Float32Array;

  constructor(
    length: number,
    private readonly momentum: number,
  ) {
    this.velocity = new Float32Array(length);
  }

  step(parameters: Float32Array, gradients: Float32Array, lr: number): number {
    checkLengths(this.name, this.velocity.length, parameters, gradients);
    const v = this.velocity;
    const mu = this.momentum;
    let poison = 0;
    for (let i = 0; i < v.length; i++) {
      const g = gradients[i]!;
      poison += g * 0;
      v[i] = mu * v[i]! + g;
      parameters[i] = parameters[i]! - lr * (g + mu * v[i]!);
    }
    return nonFiniteIndex(poison, gradients);
  }

  buffers(): readonly Float32Array[] {
    return [this.velocity];
  }

  resetBuffers(): void {
    this.velocity.fill(0);
  }

  snapshot(): Snapshot {
    return { velocity: this.velocity.slice() };
  }

  restore(snapshot: Snapshot): void {
    restoreBuffer(this.name, snapshot, 'velocity', this.velocity);
  }
}

/**
 * SGD with Nesterov momentum as the base optimizer.
 *
 * @example
 * ```ts
 * createTrainer({ ..., optimizer: nesterovSgd({ momentum: 0.9 }) });
 * ```
 */
export function nesterovSgd(options: NesterovSgdOptions = {}): OptimizerSpec<Required<NesterovSgdOptions>> {
  knownOptions('nesterovSgd', options, ['momentum']);
  const resolved = Object.freeze({ momentum: numberOption('nesterovSgd', 'momentum', options.momentum, { min: 0, below: 1 }, 0.9) });
  return Object.freeze({
    name: 'nesterovSgd',
    options: resolved,
    create: (layout: ParamLayout) => new NesterovSgd(layout.totalLength, resolved.momentum),
  });
}
