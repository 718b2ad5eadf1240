import { StateError, type Snapshot } from '@syncopate/core';

/** Where a run is: the counters a checkpoint must hold to resume bit for bit. */
export class TrainingState {
  /** Index of the next step (steps taken so far). */
  step = 0;
  /** Index of the current epoch. */
  epoch = 0;
  /** Batches of the current epoch already consumed. */
  stepInEpoch = 0;
  syncCount = 0;
  /** Sum and count of this epoch's step losses, for the epoch's mean training loss. */
  epochLossSum = 0;
  epochLossCount = 0;
  /** The step count at which the sync policy's `finish` last ran (-1: never). */
  finishedAt = -1;

  snapshot(): Snapshot {
    const { step, epoch, stepInEpoch, syncCount, epochLossSum, epochLossCount, finishedAt } = this;
    return { step, epoch, stepInEpoch, syncCount, epochLossSum, epochLossCount, finishedAt };
  }

  restore(snapshot: Snapshot): void {
    for (const key of ['step', 'epoch', 'stepInEpoch', 'syncCount', 'epochLossSum', 'epochLossCount', 'finishedAt'] as const) {
      const value = snapshot[key];
      if (typeof value !== 'number') throw new StateError(`checkpoint: training state field '${key}' must be a number, got ${typeof value}`);
      this[key] = value;
    }
  }
}
