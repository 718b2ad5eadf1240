import type { ParamLayout } from '../layout.js';
import type { Rng } from '../rng.js';

/** What a policy or momentum plugin knows about the current step. */
export interface StepContext {
  /** Global step, counted from 0 across epochs. */
  readonly step: number;
  readonly epoch: number;
  /** The base learning rate in force this step (after schedules). */
  readonly lr: number;
  readonly rank: number;
  readonly size: number;
  readonly layout: ParamLayout;
  readonly signal?: AbortSignal;
  /** Randomness for this (step, stream); `shared` draws the same numbers on every rank. */
  rng(stream: string, shared?: boolean): Rng;
  /** Record a value in this step's metrics (`traces`), e.g. ADPSGD's period. */
  trace(name: string, value: number): void;
}
