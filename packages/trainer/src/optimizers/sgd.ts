import { knownOptions, type ParamLayout, type Snapshot } from '@syncopate/core';
import { FlatKernels } from './flat-kernels.js';
import { checkLengths, type BaseOptimizer, type OptimizerSpec } from './optimizer.js';

/**
 * Plain stochastic gradient descent (Robbins & Monro, "A stochastic approximation method", 1951):
 * `x ← x − γ·g`. It has no buffers. The update is one `axpy` of the trainer's flat kernels
 * (WebAssembly SIMD on the trainer's buffers).
 */
export class Sgd implements BaseOptimizer {
  readonly name = 'sgd';
  constructor(
    private readonly length: number,
    private readonly kernels: FlatKernels = new FlatKernels(0, { simd: false }),
  ) {}

  step(parameters: Float32Array, gradients: Float32Array, lr: number): number {
    checkLengths(this.name, this.length, parameters, gradients);
    return this.kernels.axpy(parameters, gradients, -lr);
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
    create: (layout: ParamLayout, kernels?: FlatKernels) => new Sgd(layout.totalLength, kernels),
  });
}
