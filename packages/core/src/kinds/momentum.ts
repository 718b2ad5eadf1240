import type { Stateful } from '../state.js';
import { token } from '../token.js';
import type { StepContext } from './step-context.js';
import type { SyncOutcome } from './sync-policy.js';

/** What happens to the base optimizer's buffers (momentum, Adam moments) at a sync point. */
export type BaseBufferPolicy = 'reset' | 'average' | 'keep';

/**
 * Outer optimizers and momentum schemes that act around synchronisation: SlowMo, BMUF,
 * Lookahead, double averaging, DGC momentum correction, global momentum compression.
 * Every hook is optional; the trainer calls those present.
 */
export interface Momentum extends Partial<Stateful> {
  readonly name: string;
  /** What the trainer does with the base optimizer's buffers when a policy syncs. */
  readonly baseBuffer?: BaseBufferPolicy;
  /** Once, with the initial parameters (e.g. to remember the outer anchor x₀). */
  init?(parameters: Float32Array, ctx: StepContext): void;
  /** On the local gradients before the policy's `onGradients` (momentum correction). */
  onGradients?(gradients: Float32Array, ctx: StepContext): void;
  /**
   * After every step's `onParameters` (Lookahead counts its own k). An outer optimizer that takes
   * the exact average itself (SlowMo over a gossip policy) returns `{ synced: true }` on the steps
   * it did: the trainer then treats the step as a sync (`onSync`, the base-buffer policy).
   */
  onStep?(parameters: Float32Array, ctx: StepContext): void | SyncOutcome | Promise<void | SyncOutcome>;
  /** After a step whose policy (or whose `onStep`) synced, on the synchronised parameters (SlowMo, BMUF). */
  onSync?(parameters: Float32Array, ctx: StepContext): void | Promise<void>;
}

/** The service key of the {@link Momentum} interface. */
export const Momentum = token<Momentum>('syncopate/Momentum');
