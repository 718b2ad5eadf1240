import { SHARED_RANK, createRng, type ParamLayout, type StepContext } from '@syncopate/core';

/** What every step context of one rank shares. */
export interface ContextBase {
  readonly rank: number;
  readonly size: number;
  readonly layout: ParamLayout;
  readonly seed: number;
  readonly signal?: AbortSignal;
}

/**
 * The context plugins see at `step`. Randomness is keyed by (seed, rank, step, stream), with
 * `shared` draws keyed by core's SHARED_RANK so every rank draws the same numbers; traces land in
 * `traces`, which the step's metrics event carries.
 */
export function makeStepContext(base: ContextBase, at: { step: number; epoch: number; lr: number }, traces: Record<string, number>): StepContext {
  const { rank, size, layout, seed, signal } = base;
  const { step } = at;
  return {
    step,
    epoch: at.epoch,
    lr: at.lr,
    rank,
    size,
    layout,
    ...(signal && { signal }),
    rng: (stream: string, shared = false) => createRng({ seed, rank: shared ? SHARED_RANK : rank, step, stream }),
    trace: (name: string, value: number) => {
      traces[name] = value;
    },
  };
}
