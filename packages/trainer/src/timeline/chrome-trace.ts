/**
 * The Chrome trace-event format (the JSON that Perfetto and chrome://tracing open), the subset a
 * Syncopate timeline writes: complete events (`ph: 'X'`, a span with start `ts` and duration
 * `dur`, both in microseconds) and metadata events (`ph: 'M'`) that name processes (ranks) and
 * threads (tracks).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One span: something that took `dur` µs from `ts` µs on track `tid` of rank `pid`. */
export interface CompleteEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: 'X';
  readonly ts: number;
  readonly dur: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: Readonly<Record<string, string | number>>;
}

/** Names a rank (`process_name`) or a track (`thread_name`). */
export interface MetadataEvent {
  readonly name: 'process_name' | 'thread_name' | 'process_sort_index';
  readonly ph: 'M';
  readonly pid: number;
  readonly tid?: number;
  readonly args: Readonly<Record<string, string | number>>;
}

/** Any event of a Syncopate trace. */
export type TraceEvent = CompleteEvent | MetadataEvent;

/** A whole trace file (the JSON object form of the format). */
export interface ChromeTrace {
  readonly traceEvents: readonly TraceEvent[];
  readonly displayTimeUnit: 'ms';
  /** Free-form facts about the run (ranks, composition hash, clock). */
  readonly otherData?: Readonly<Record<string, string | number>>;
}

/** Wrap events into the JSON object form of a trace. */
export function chromeTrace(events: readonly TraceEvent[], otherData?: Record<string, string | number>): ChromeTrace {
  return { traceEvents: events, displayTimeUnit: 'ms', ...(otherData && { otherData }) };
}

/**
 * Write `events` (or a whole trace) to `path` as Chrome-trace JSON, atomically (a temporary file
 * renamed into place), creating the folder. Open the file in https://ui.perfetto.dev.
 *
 * @example
 * ```ts
 * await trainer.fit({ epochs: 1 });
 * writeChromeTrace(`trace-rank${trainer.rank}.json`, trainer.timeline!.events());
 * ```
 */
export function writeChromeTrace(path: string, events: readonly TraceEvent[] | ChromeTrace): void {
  const trace = Array.isArray(events) ? chromeTrace(events as readonly TraceEvent[]) : (events as ChromeTrace);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(trace));
  renameSync(temporary, path);
}
