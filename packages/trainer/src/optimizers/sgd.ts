import { knownOptions, type ParamLayout, type Snapshot } from '@syncopate/core';
import { checkLengths, nonFiniteIndex, type BaseOptimizer, type OptimizerSpec } from './optimizer.js';

/**
 * Plain stochastic gradient descent (Robbins & Monro, "A stochastic approximation method", 1951):
 * `x ← x − γ·g`. It has no buffers.
 */
export class Sgd implements BaseOptimizer {
  readonly name = 'sgd';
  constructor(private readonly length: number) {}

  step(parameters: Float32Array, gradients: Float32Array, lr: number): number {
    checkLengths(this.name, this.length, parameters, gradients);
    let poison = 0;
    for (let i = 0; i < parameters.length; i++) {
      const g = gradients[i]!;
      poison += g * 0;
      parameters[i] = parameters[i]! - lr * g;
    }
    return nonFiniteIndex(poison, gradients);
  }

  buffers(): readonly Float32Array[] {
    return [];
  }

  resetBuffers(): void {}

  snapshot(): Snapshot {
    return {};
  }

  restore(): void {}
}

/**
 * Plain SGD as the base optimizer (the trainer's default).
 *
 * @example
 * ```ts
 * createTrainer({ transport, model, data, optimizer: sgd(), lr: 0.1 });
 * ```
 */
export function sgd(options: Record<string, never> = {}): OptimizerSpec<Record<string, never>> {
  knownOptions('sgd', options, []);
  return Object.freeze({
    name: 'sgd',
    options: Object.freeze({}),
    create: (layout: ParamLayout) => new Sgd(layout.totalLength),
  });
}
