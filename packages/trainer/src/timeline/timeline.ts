import type { Clock } from '@syncopate/core';
import type { CompleteEvent, MetadataEvent, TraceEvent } from './chrome-trace.js';

/** The span names a trainer records. */
export type SpanName = 'step' | 'compute' | 'compression' | 'communication' | 'wait';

/** The tracks (Chrome-trace threads) of one rank. */
export const TRACKS = Object.freeze({
  /** The training loop: `step` spans, with `compute` and `wait` spans inside them. */
  step: 0,
  /** The exchange stage: `communication` and `compression` spans, one or more per exchange. */
  exchange: 1,
});

const TRACK_NAMES: Record<number, string> = { [TRACKS.step]: 'training loop', [TRACKS.exchange]: 'exchange' };

/**
 * A per-rank timeline of where the time of training went, in the style of Horovod's timeline
 * (Sergeev & Del Balso, "Horovod: fast and easy distributed deep learning in TensorFlow", 2018):
 * the trainer records `step`, `compute` and `wait` spans on the training-loop track and
 * `communication` and `compression` spans (with the exchange's stream, bucket and step as args)
 * on the exchange track. Times come from the injected clock, so on the simulated network the
 * timeline shows modelled time.
 *
 * Times are relative to an origin the trainer sets right after the start-up handshake, which
 * every rank leaves at (nearly) the same moment; that is what lets {@link mergeTraces} lay the
 * ranks side by side.
 *
 * @example
 * ```ts
 * const trainer = createTrainer({ ...options, trace: true });
 * await trainer.fit({ epochs: 1 });
 * writeChromeTrace('trace.json', trainer.timeline!.events());
 * ```
 */
export class Timeline {
  private readonly spans: CompleteEvent[] = [];
  private origin: number;
  private dropped = 0;

  constructor(
    private readonly clock: Clock,
    /** This rank: the trace's process id. */
    readonly rank: number,
    /** Spans kept at most; later ones are counted in {@link Timeline.droppedSpans} and dropped. */
    private readonly maxSpans = 1_000_000,
  ) {
    this.origin = clock.now();
  }

  /** Make `ms` (of the clock) time zero. Called by the trainer after the start-up handshake. */
  setOrigin(ms: number): void {
    this.origin = ms;
  }

  /** Spans not kept because the timeline was full. */
  get droppedSpans(): number {
    return this.dropped;
  }

  /** Record a span from `startMs` to `endMs` (clock milliseconds). */
  span(name: SpanName, track: number, startMs: number, endMs: number, args?: Record<string, string | number>): void {
    if (this.spans.length >= this.maxSpans) {
      this.dropped++;
      return;
    }
    const ts = toMicroseconds(startMs - this.origin);
    this.spans.push({
      name,
      cat: name === 'step' ? 'training' : name,
      ph: 'X',
      ts,
      dur: Math.max(0, toMicroseconds(endMs - this.origin) - ts),
      pid: this.rank,
      tid: track,
      ...(args && { args }),
    });
  }

  /** The spans so far, preceded by metadata naming the rank and its tracks. */
  events(): TraceEvent[] {
    const metadata: MetadataEvent[] = [
      { name: 'process_name', ph: 'M', pid: this.rank, args: { name: `rank ${this.rank}` } },
      { name: 'process_sort_index', ph: 'M', pid: this.rank, args: { sort_index: this.rank } },
      ...Object.entries(TRACK_NAMES).map(([tid, name]): MetadataEvent => ({ name: 'thread_name', ph: 'M', pid: this.rank, tid: Number(tid), args: { name } })),
    ];
    return [...metadata, ...this.spans];
  }
}

/** Milliseconds to whole-nanosecond-rounded microseconds (the trace's unit). */
function toMicroseconds(ms: number): number {
  return Math.round(ms * 1e6) / 1e3;
}
