import { knownOptions, numberOption, type ParamLayout, type Snapshot } from '@syncopate/core';
import { checkLengths, nonFiniteIndex, restoreBuffer, type BaseOptimizer, type OptimizerSpec } from './optimizer.js';

/** Options of {@link momentumSgd}. */
export interface MomentumSgdOptions {
  /** Momentum factor μ in [0, 1). Default 0.9. */
  readonly momentum?: number;
}

/**
 * SGD with heavy-ball momentum (Polyak, "Some methods of speeding up the convergence of iteration
 * methods", 1964), in the form used by PyTorch and by the SlowMo paper's base optimizers:
 * `v ← μ·v + g`, `x ← x − γ·v`. The buffer `v` starts at zero.
 */
export class MomentumSgd implements BaseOptimizer {
  readonly name = 'momentumSgd';
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
      parameters[i] = parameters[i]! - lr * v[i]!;
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
 * SGD with heavy-ball momentum as the base optimizer.
 *
 * @example
 * ```ts
 * createTrainer({ ..., optimizer: momentumSgd({ momentum: 0.9 }) });
 * ```
 */
export function momentumSgd(options: MomentumSgdOptions = {}): OptimizerSpec<Required<MomentumSgdOptions>> {
  knownOptions('momentumSgd', options, ['momentum']);
  const resolved = Object.freeze({ momentum: numberOption('momentumSgd', 'momentum', options.momentum, { min: 0, below: 1 }, 0.9) });
  return Object.freeze({
    name: 'momentumSgd',
    options: resolved,
    create: (layout: ParamLayout) => new MomentumSgd(layout.totalLength, resolved.momentum),
  });
}
