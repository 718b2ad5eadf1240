/**
 * The metrics JSONL file: one trainer event (`StepEvent` or `EpochEvent` of core) per line, as
 * rank 0 emits them, between a `start` line (the run's header) and a `result` line (every rank's
 * totals). Written synchronously line by line, so a crashed run keeps what it did.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrainerEvent } from '@syncopate/core';
import type { RankResult, RunStart } from '../run/run-messages.js';

/** The last line of a finished run: every rank's totals and the run's wall time. */
export interface MetricsResult {
  readonly type: 'result';
  /** Real time the run took on the launcher, start-up included, in ms. */
  readonly wallMs: number;
  /** Simulated transport: the modelled time of the run, in virtual ms. */
  readonly modelledMs?: number;
  /** Every rank's result, in rank order (MPI: gathered to rank 0). */
  readonly results: readonly RankResult[];
}

/** What one line of the metrics file holds. */
export type MetricsRecord = TrainerEvent | RunStart | MetricsResult;

/** Appends events to a JSONL file. */
export class MetricsFile {
  private fd: number | undefined;

  /** Opens `path` (creating its folder); `append` keeps earlier lines (a resumed run). */
  constructor(
    readonly path: string,
    append = false,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, append ? 'a' : 'w');
  }

  write(event: MetricsRecord): void {
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(event)}\n`);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
