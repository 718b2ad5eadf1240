import { StateError, type ParamLayout, type Snapshot, type Stateful } from '@syncopate/core';
import type { FlatKernels } from './flat-kernels.js';

/**
 * A base (inner) optimizer that works in place on the flat parameter and gradient buffers.
 *
 * The trainer calls {@link BaseOptimizer.step} once per step with the learning rate in force;
 * momentum plugins decide, through their `baseBuffer` policy, whether {@link BaseOptimizer.buffers}
 * are reset, averaged across ranks or kept at a synchronisation point.
 */
export interface BaseOptimizer extends Stateful {
  readonly name: string;
  /**
   * One update in place: `parameters ← parameters − lr · direction(gradients)`. Returns -1, or
   * the index of the first NaN/±Inf gradient element it met (the update is applied regardless;
   * the trainer then stops the run). The check rides on the update's own pass over the buffer.
   */
  step(parameters: Float32Array, gradients: Float32Array, lr: number): number;
  /** The optimizer's flat buffers (momentum, Adam moments), each laid out like the parameters. */
  buffers(): readonly Float32Array[];
  /** Zero every buffer and counter, as right after construction. */
  resetBuffers(): void;
}

/**
 * The inert description of a base optimizer, made by {@link sgd}, {@link momentumSgd},
 * {@link nesterovSgd} or {@link adam}; the trainer turns it into a {@link BaseOptimizer} for the
 * model's layout.
 */
export interface OptimizerSpec<Options = unknown> {
  readonly name: string;
  /** The validated options, with defaults filled in. Part of the composition hash. */
  readonly options: Readonly<Options>;
  /**
   * Make the optimizer for `layout`. `kernels` is the trainer's flat-buffer arithmetic; the
   * parameter and gradient buffers come from its memory, so an optimizer that uses it gets the
   * SIMD path.
   */
  create(layout: ParamLayout, kernels?: FlatKernels): BaseOptimizer;
}

/** Copy a snapshot's flat buffer back into `into`, or throw a {@link StateError} naming the field. */
export function restoreBuffer(owner: string, snapshot: Snapshot, field: string, into: Float32Array): void {
  const value = snapshot[field];
  if (!(value instanceof Float32Array) || value.length !== into.length) {
    const got = value instanceof Float32Array ? `${value.length} elements` : typeof value;
    throw new StateError(`${owner}: snapshot field '${field}' must be a Float32Array of ${into.length} elements, got ${got}`);
  }
  into.set(value);
}

/** Throw a {@link StateError} when `parameters` and `gradients` do not match the layout. */
export function checkLengths(owner: string, expected: number, parameters: Float32Array, gradients: Float32Array): void {
  if (parameters.length !== expected || gradients.length !== expected) {
    throw new StateError(
      `${owner}: expected parameters and gradients of ${expected} elements, got ${parameters.length} and ${gradients.length}`,
    );
  }
}

/**
 * `poison` is the sum of `g · 0` over the gradients: 0 when all are finite, NaN otherwise. Returns
 * -1 when clean, else the index of the first non-finite element.
 */
export function nonFiniteIndex(poison: number, gradients: Float32Array): number {
  if (poison === 0) return -1;
  for (let i = 0; i < gradients.length; i++) if (gradients[i]! - gradients[i]! !== 0) return i;
  return -1;
}
