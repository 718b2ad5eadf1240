import { readFileSync } from 'node:fs';
import { OptionError } from '@syncopate/core';
import { chromeTrace, type ChromeTrace, type TraceEvent } from './chrome-trace.js';

/**
 * Merge per-rank traces into one view with a process per rank. Each rank's times are already
 * relative to the end of its start-up handshake (see `Timeline`), so the ranks line up to within
 * one message latency. When two traces carry the same rank, the later one is moved to a new
 * process id so no span is lost.
 *
 * @example
 * ```ts
 * writeChromeTrace('trace.json', mergeTraceObjects([rank0.timeline!.events(), rank1.timeline!.events()]));
 * ```
 */
export function mergeTraceObjects(traces: readonly (ChromeTrace | readonly TraceEvent[])[]): ChromeTrace {
  const merged: TraceEvent[] = [];
  const used = new Set<number>();
  let next = 0;
  for (const [i, trace] of traces.entries()) {
    const events = Array.isArray(trace) ? (trace as readonly TraceEvent[]) : (trace as ChromeTrace)?.traceEvents;
    if (!Array.isArray(events)) throw new OptionError('mergeTraces', `traces[${i}]`, 'must be a Chrome trace ({ traceEvents: [...] }) or an array of events');
    const pids = [...new Set(events.map((e) => e.pid))];
    const remap = new Map<number, number>();
    for (const pid of pids) {
      let target = pid;
      if (used.has(target)) {
        while (used.has(next) || pids.includes(next)) next++;
        target = next;
      }
      used.add(target);
      remap.set(pid, target);
    }
    for (const event of events) {
      const pid = remap.get(event.pid)!;
      if (pid === event.pid) merged.push(event);
      else if (event.ph === 'M' && event.name === 'process_name') merged.push({ ...event, pid, args: { name: `${String(event.args.name)} (trace ${i})` } });
      else merged.push({ ...event, pid });
    }
  }
  return chromeTrace(merged, { ranks: used.size });
}

/**
 * Read per-rank trace files (written by `writeChromeTrace`) and merge them into one trace, one
 * process per rank: the "merged view across ranks".
 *
 * @example
 * ```ts
 * writeChromeTrace('trace.json', mergeTraces(['trace.rank0.json', 'trace.rank1.json']));
 * ```
 */
export function mergeTraces(files: readonly string[]): ChromeTrace {
  if (!Array.isArray(files) || files.length === 0) throw new OptionError('mergeTraces', 'files', 'must be a non-empty array of trace file paths');
  return mergeTraceObjects(
    files.map((file) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new OptionError('mergeTraces', 'files', `cannot read '${file}': ${(error as Error).message}`);
      }
      try {
        return JSON.parse(text) as ChromeTrace;
      } catch {
        throw new OptionError('mergeTraces', 'files', `'${file}' is not JSON (expected a Chrome trace written by writeChromeTrace)`);
      }
    }),
  );
}
