/**
 * What a trainer's checkpoint holds and how it is checked on the way back in. One record per
 * rank: the composition hash, rank and size it belongs to; the training counters; the
 * parameters; the base optimizer's snapshot; and the snapshot of every stateful plugin by kind.
 */
import { StateError, type PluginKind, type Snapshot, type StateValue, type Stateful } from '@syncopate/core';
import type { BaseOptimizer } from '../optimizers/optimizer.js';
import type { TrainingState } from '../training/training-state.js';

const FORMAT = 'syncopate-trainer/1';
const TRAINING_FIELDS = ['step', 'epoch', 'stepInEpoch'] as const;

/** The parts of a trainer a checkpoint reads and writes. */
export interface CheckpointParts {
  readonly compositionHash: string;
  readonly rank: number;
  readonly size: number;
  readonly state: TrainingState;
  readonly parameters: Float32Array;
  readonly optimizer: BaseOptimizer;
  readonly stateful: ReadonlyMap<PluginKind, Partial<Stateful>>;
}

/** The record {@link checkCheckpointRecord} and {@link applyCheckpointRecord} accept back. */
export function checkpointRecord(parts: CheckpointParts): { [key: string]: StateValue } {
  const plugins: Record<string, StateValue> = {};
  for (const [kind, service] of parts.stateful) plugins[kind] = service.snapshot!();
  return {
    format: FORMAT,
    compositionHash: parts.compositionHash,
    rank: parts.rank,
    size: parts.size,
    training: parts.state.snapshot(),
    parameters: parts.parameters.slice(),
    optimizer: parts.optimizer.snapshot(),
    plugins,
  };
}

/** Where a run stands: the counters ranks compare before they resume together. */
export interface TrainingPosition {
  /** Global steps taken. */
  readonly step: number;
  readonly epoch: number;
  /** Batches of `epoch` already consumed. */
  readonly stepInEpoch: number;
}

/**
 * Check that `record` belongs to this composition, rank and size and holds every piece of state,
 * without changing anything; returns the training position it holds. Throws a
 * {@link StateError} naming what does not match (`source` names the file).
 */
export function checkCheckpointRecord(record: { readonly [key: string]: StateValue }, parts: CheckpointParts, source: string): TrainingPosition {
  const expect = (field: string, wanted: unknown) => {
    if (record[field] !== wanted) {
      throw new StateError(`${source} has ${field} ${JSON.stringify(record[field])}, this trainer has ${JSON.stringify(wanted)}`);
    }
  };
  expect('format', FORMAT);
  expect('compositionHash', parts.compositionHash);
  expect('rank', parts.rank);
  expect('size', parts.size);
  const parameters = record.parameters;
  if (!(parameters instanceof Float32Array) || parameters.length !== parts.parameters.length) {
    throw new StateError(`${source} holds no parameters of ${parts.parameters.length} elements`);
  }
  const plugins = (record.plugins ?? {}) as Record<string, Snapshot>;
  for (const kind of parts.stateful.keys()) {
    if (!plugins[kind]) throw new StateError(`${source} has no state for the ${kind} plugin`);
  }
  const training = record.training as Snapshot | undefined;
  for (const key of TRAINING_FIELDS) {
    const value = training?.[key];
    if (typeof value !== 'number') throw new StateError(`${source}: training state field '${key}' must be a number, got ${typeof value}`);
  }
  return { step: training!.step as number, epoch: training!.epoch as number, stepInEpoch: training!.stepInEpoch as number };
}

/** Restore a record that {@link checkCheckpointRecord} accepted. */
export function applyCheckpointRecord(record: { readonly [key: string]: StateValue }, parts: CheckpointParts): void {
  const plugins = (record.plugins ?? {}) as Record<string, Snapshot>;
  parts.state.restore(record.training as Snapshot);
  parts.parameters.set(record.parameters as Float32Array);
  parts.optimizer.restore(record.optimizer as Snapshot);
  for (const [kind, service] of parts.stateful) service.restore!(plugins[kind]!);
}
