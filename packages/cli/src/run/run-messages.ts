/**
 * What ranks report while a run goes on. Rank 0 sends {@link RunMessage}s to the reporter (over a
 * `BroadcastChannel` from a worker thread, or directly); every rank returns a {@link RankResult}
 * at the end. All plain data, so they survive structured cloning and JSON.
 */
import type { TrainerEvent } from '@syncopate/core';

/** Sent once by rank 0 when its trainer is built, before the first step. */
export interface RunStart {
  readonly type: 'start';
  readonly ranks: number;
  /** The transport's name, e.g. `local-threads`. */
  readonly transport: string;
  /** The tfjs backend chosen and why, when the model uses tfjs. */
  readonly backend?: string;
  readonly model: string;
  readonly data: string;
  /** Whether the data has classes (accuracy is shown only then). */
  readonly classification: boolean;
  readonly trainSize: number;
  readonly testSize: number;
  /** The composition as `kind:name{options}`, defaults included. */
  readonly plugins: readonly string[];
  readonly optimizer: string;
  readonly batchSize: number;
  readonly stepsPerEpoch: number;
  readonly epochs: number;
  /** Where training starts (non-zero after a resume). */
  readonly startStep: number;
}

/** Rank 0 wrote its checkpoint (every rank did). */
export interface RunCheckpoint {
  readonly type: 'checkpoint';
  readonly step: number;
  readonly path: string;
}

/** Anything rank 0 reports while the run goes on. */
export type RunMessage = RunStart | TrainerEvent | RunCheckpoint;

/** What one rank reports when it is done. */
export interface RankResult {
  readonly rank: number;
  readonly steps: number;
  readonly epochs: number;
  readonly syncCount: number;
  /** Bytes this rank sent in the whole run. */
  readonly bytesSent: number;
  /** From start-up to the end of training, in ms of the transport's clock (virtual when simulated). */
  readonly elapsedMs: number;
  /** Mean training loss of the last epoch. */
  readonly trainLoss: number;
  /** Rank 0 only: the final parameters on the test set. */
  readonly test?: { readonly loss: number; readonly accuracy: number; readonly count: number };
  /** Synthetic problems only: F(θ) − F(θ★) of the final parameters. */
  readonly optimalityGap?: number;
  /** Steps restored from a checkpoint. */
  readonly resumedAtStep: number;
}
