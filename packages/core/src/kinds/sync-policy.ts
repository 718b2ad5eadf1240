import type { Stateful } from '../state.js';
import { token } from '../token.js';
import type { StepContext } from './step-context.js';

/** What a policy reports after a step. */
export interface SyncOutcome {
  /** Parameters (or gradients) were synchronised this step; momentum's `onSync` runs when true. */
  readonly synced: boolean;
}

/**
 * When and what ranks synchronise: every step (BSP), every τ steps (local SGD), adaptively
 * (ADPSGD), overlapped (HPSGD, Overlap-Local-SGD), with neighbours (D-PSGD, SGP)…
 *
 * A step runs: backprop → `onGradients` → base optimizer → `onParameters` → momentum.
 * Policies move tensors only through the injected `Exchange`, so any compressor composes.
 * Every rank must make the same exchanges in the same order.
 */
export interface SyncPolicy extends Partial<Stateful> {
  readonly name: string;
  /** Once, after the start-up broadcast, with the initial (identical) parameters. */
  init?(parameters: Float32Array, ctx: StepContext): void | Promise<void>;
  /** In place on the flat gradients, before the base optimizer applies them. */
  onGradients(gradients: Float32Array, ctx: StepContext): Promise<void>;
  /** In place on the flat parameters, after the base optimizer step. */
  onParameters(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome>;
  /** At the end of training: finish in-flight exchanges and leave every rank's parameters final. */
  finish?(parameters: Float32Array, ctx: StepContext): Promise<void>;
  /**
   * When a run pauses between steps (e.g. `fit({ stopAtStep })`), before a checkpoint may be
   * taken: wait for exchanges still in flight and keep their results, without changing what later
   * steps compute, so that `snapshot()` (which cannot wait) sees no exchange in flight. Policies
   * that overlap communication with later steps (HPSGD, Overlap-Local-SGD) implement it.
   */
  settle?(ctx: StepContext): Promise<void>;
  /**
   * Between two steps, another plugin replaced the parameters with values identical on every rank
   * (an outer optimizer's exact average and outer step, e.g. SlowMo over SGP): continue from them
   * as from a fresh start, dropping state that describes the old parameters (gossip in flight,
   * push-sum numerator and weight). Called after `settle`, on every rank at the same step.
   * Policies that declare `Capabilities.restartable` implement it.
   */
  restart?(parameters: Float32Array, ctx: StepContext): void | Promise<void>;
}

/** The service key of the {@link SyncPolicy} interface. */
export const SyncPolicy = token<SyncPolicy>('syncopate/SyncPolicy');
