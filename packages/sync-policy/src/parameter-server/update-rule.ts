import type { Snapshot } from '@syncopate/core';

/** What a server shard knows when it applies or answers a push. */
export interface ShardState {
  /** The server's parameters (its shard). */
  readonly parameters: Float32Array;
  /** Updates applied to `parameters` so far. */
  version: number;
  /** Pushes received from each worker, by worker rank. */
  readonly clocks: Map<number, number>;
  /** Workers currently training (neither paused nor done). */
  readonly active: ReadonlySet<number>;
}

/** How a server treats pushes: when it applies a delta and when a worker may go on. */
export interface UpdateRule {
  /**
   * `worker` pushed `delta`, computed from the server parameters of `baseVersion`. Apply it now,
   * keep it for later, or drop it. Returns the staleness it was applied with (updates applied
   * between the worker's pull and this one), −1 when it was dropped, or `undefined` while it waits
   * to be applied.
   */
  push(state: ShardState, worker: number, delta: Float32Array, baseVersion: number): number | undefined;
  /** Whether the push `worker` is waiting on may be answered now (with the parameters as they are). */
  mayAnswer(state: ShardState, worker: number): boolean;
  /** The set of active workers changed (a pause, a resume, the end). */
  activeChanged(state: ShardState): void;
  /** Staleness of the push of `worker` if it was applied after it arrived (see {@link push}). */
  appliedStaleness(worker: number): number | undefined;
  snapshot(): Snapshot;
  restore(snapshot: Snapshot): void;
}
