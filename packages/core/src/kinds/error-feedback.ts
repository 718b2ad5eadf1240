import type { Stateful } from '../state.js';
import { token } from '../token.js';

/**
 * Error feedback (error accumulation, "memory"): what a biased compressor dropped is added back
 * before the next compression, so nothing is lost in the long run.
 *
 * The exchange calls `compensate` before compressing and `update` after, per buffer key:
 *   p ← x + e;  send C(p);  e ← p − decompress(C(p)).
 */
export interface ErrorFeedback extends Stateful {
  readonly name: string;
  /**
   * In place: `x += memory[key]` (memory starts at zero). Must leave the memory as it is: only
   * {@link update} changes it, so a step refused in between (a compressor that stops on a
   * non-finite value, a skipped step) leaves the state of the last good step.
   */
  compensate(key: string, x: Float32Array): void;
  /** `memory[key] ← compensated − transmitted`. */
  update(key: string, compensated: Float32Array, transmitted: Float32Array): void;
  /** The residual held for `key` (zeros if none yet), for inspection and tests. */
  residual(key: string, length: number): Float32Array;
  /** Forget the memory of `key`, or of every key. */
  reset(key?: string): void;
}

/** The service key of the {@link ErrorFeedback} interface. */
export const ErrorFeedback = token<ErrorFeedback>('syncopate/ErrorFeedback');
