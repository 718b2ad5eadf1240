/** Where the time of one step went, in milliseconds of the injected clock. */
export interface StepTimings {
  /** Forward, backward and optimizer arithmetic. */
  readonly compute: number;
  /** Compressing and decompressing, error feedback included. */
  readonly compression: number;
  /** Inside collectives and messages. */
  readonly communication: number;
  /** Waiting for an earlier non-blocking exchange or for slower ranks. */
  readonly wait: number;
  /** The whole step. */
  readonly total: number;
}

/** Emitted once per training step on every rank. */
export interface StepEvent {
  readonly type: 'step';
  readonly rank: number;
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  /** Training accuracy of the batch, when the task has one. */
  readonly accuracy?: number;
  readonly lr: number;
  readonly timings: StepTimings;
  /** Bytes this rank sent during the step. */
  readonly bytesSent: number;
  /** Whether the parameters (or gradients) were synchronised in this step. */
  readonly synced: boolean;
  /** Synchronisations so far. */
  readonly syncCount: number;
  /** Values plugins traced this step (e.g. ADPSGD's `period`, `S_k`). */
  readonly traces: Readonly<Record<string, number>>;
}

/** Emitted at the end of each epoch on every rank. */
export interface EpochEvent {
  readonly type: 'epoch';
  readonly rank: number;
  readonly epoch: number;
  readonly step: number;
  readonly trainLoss: number;
  readonly testLoss?: number;
  readonly testAccuracy?: number;
  /** Elapsed since the run started, in ms of the injected clock. */
  readonly elapsedMs: number;
  readonly bytesSent: number;
  readonly syncCount: number;
}

/** Everything a trainer's `metrics$` carries. */
export type TrainerEvent = StepEvent | EpochEvent;
