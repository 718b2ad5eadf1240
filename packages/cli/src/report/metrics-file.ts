/**
 * The metrics JSONL file: one trainer event (`StepEvent` or `EpochEvent` of core) per line, as
 * rank 0 emits them. Written synchronously line by line, so a crashed run keeps what it did.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrainerEvent } from '@syncopate/core';

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

  write(event: TrainerEvent): void {
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(event)}\n`);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
