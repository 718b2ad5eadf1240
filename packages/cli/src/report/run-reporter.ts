/**
 * What the user sees of a run: a header when rank 0 has built its trainer, a progress line per
 * epoch, then the summary table and totals. Also writes the metrics JSONL file. Fed with rank 0's
 * {@link RunMessage}s, from whichever thread or process rank 0 runs in.
 */
import type { EpochEvent } from '@syncopate/core';
import type { RankResult, RunMessage, RunStart } from '../run/run-messages.js';
import { formatBytes, formatCount, formatDuration, formatLoss, formatPercent } from './format.js';
import { MetricsFile } from './metrics-file.js';
import type { Output } from './output.js';
import { ProgressLine } from './progress-line.js';
import { textTable } from './text-table.js';

/** Options of {@link RunReporter}. */
export interface RunReporterOptions {
  readonly output: Output;
  /** JSONL file for rank 0's step and epoch events. */
  readonly metrics?: string;
  /** Keep the metrics file's earlier lines (a resumed run). */
  readonly appendMetrics?: boolean;
}

/** The end of a run, as the launcher saw it. */
export interface RunTotals {
  /** Every rank's result (MPI: gathered to rank 0). */
  readonly results: readonly RankResult[];
  /** Real time the whole run took, start-up included, in ms. */
  readonly wallMs: number;
  /** Simulated transport: the modelled time of the run, in virtual ms. */
  readonly modelledMs?: number;
}

/** The figures of a finished run, for callers (the demo's target check, tests). */
export interface RunOutcome {
  readonly testAccuracy?: number;
  readonly testLoss?: number;
  readonly bytesSent: number;
  readonly wallMs: number;
  readonly epochs: readonly EpochEvent[];
}

/**
 * Renders rank 0's messages (header, progress, summary) and writes the metrics file (the start
 * message, rank 0's events, then every rank's results).
 *
 * @example
 * ```ts
 * const reporter = new RunReporter({ output: stdoutOutput(), metrics: 'out/run.jsonl' });
 * const results = await runInThreads(config, (message) => reporter.handle(message));
 * reporter.finish({ results, wallMs });
 * ```
 */
export class RunReporter {
  private progress: ProgressLine | undefined;
  /** Whether the data has classes; accuracy is shown only then. */
  private classification = true;
  private readonly epochs: EpochEvent[] = [];
  private readonly throughputs: number[] = [];
  private readonly metrics: MetricsFile | undefined;

  constructor(private readonly options: RunReporterOptions) {
    this.metrics = options.metrics ? new MetricsFile(options.metrics, options.appendMetrics) : undefined;
  }

  /** Print a line of the launcher's own (clears a half-drawn progress line first). */
  note(text: string): void {
    this.progress?.clear();
    this.options.output.write(`${text}\n`);
  }

  handle(message: RunMessage): void {
    switch (message.type) {
      case 'start':
        this.metrics?.write(message);
        return this.onStart(message);
      case 'step':
        this.metrics?.write(message);
        this.progress?.step(message);
        return;
      case 'epoch':
        this.metrics?.write(message);
        this.epochs.push(message);
        if (this.progress) this.throughputs.push(this.progress.epoch(message));
        return;
      case 'checkpoint':
        this.note(`checkpoint at step ${message.step}: ${message.path} (one file per rank)`);
        return;
    }
  }

  /** Print the summary table and totals; close the metrics file. */
  finish(totals: RunTotals): RunOutcome {
    const results = [...totals.results].sort((x, y) => x.rank - y.rank);
    this.metrics?.write({ type: 'result', wallMs: totals.wallMs, ...(totals.modelledMs !== undefined && { modelledMs: totals.modelledMs }), results });
    this.metrics?.close();
    const out = (text: string) => this.options.output.write(`${text}\n`);
    const rank0 = totals.results.find((r) => r.rank === 0) ?? totals.results[0];
    const bytesSent = totals.results.reduce((sum, r) => sum + r.bytesSent, 0);
    if (this.epochs.length > 0) {
      const rows = this.epochs.map((e, i) => {
        const previous = this.epochs[i - 1];
        return [
          String(e.epoch + 1),
          formatLoss(e.trainLoss),
          formatLoss(e.testLoss),
          ...(this.classification ? [formatPercent(e.testAccuracy)] : []),
          formatDuration(e.elapsedMs - (previous?.elapsedMs ?? 0)),
          formatCount(this.throughputs[i] ?? NaN),
          formatBytes(e.bytesSent - (previous?.bytesSent ?? 0)),
          formatCount(e.syncCount - (previous?.syncCount ?? 0)),
        ];
      });
      const header = ['epoch', 'train loss', 'test loss', ...(this.classification ? ['test acc'] : []), 'time', 'ex/s', 'sent (rank 0)', 'syncs'];
      out('');
      out(textTable(header, rows));
      out('');
    }
    if (rank0) {
      const accuracy = rank0.test && this.classification ? `test accuracy ${formatPercent(rank0.test.accuracy)}, ` : '';
      const test = rank0.test ? `${accuracy}test loss ${formatLoss(rank0.test.loss)} on ${formatCount(rank0.test.count)} examples` : `train loss ${formatLoss(rank0.trainLoss)}`;
      const gap = rank0.optimalityGap === undefined ? '' : `, F(x) - F(x*) = ${rank0.optimalityGap.toExponential(3)}`;
      out(`result: ${test}${gap} after ${rank0.epochs} epoch${rank0.epochs === 1 ? '' : 's'} (${formatCount(rank0.steps)} steps per rank, ${formatCount(rank0.syncCount)} synchronisations)`);
    }
    const ranks = totals.results.length;
    out(`traffic: ${formatBytes(bytesSent)} sent by ${ranks} rank${ranks === 1 ? '' : 's'}${ranks > 1 ? ` (${formatBytes(bytesSent / ranks)} per rank)` : ''}`);
    const modelled = totals.modelledMs === undefined ? '' : `; modelled (simulated network, virtual clock) ${formatDuration(totals.modelledMs)}`;
    out(`time: ${formatDuration(totals.wallMs)} wall${modelled}`);
    if (this.options.metrics) out(`metrics: ${this.options.metrics} (rank 0's step and epoch events, JSON lines)`);
    return {
      ...(rank0?.test && { testLoss: rank0.test.loss }),
      ...(rank0?.test && this.classification && { testAccuracy: rank0.test.accuracy }),
      bytesSent,
      wallMs: totals.wallMs,
      epochs: this.epochs,
    };
  }

  /** Close the metrics file without a summary (the run failed). */
  abandon(): void {
    this.progress?.clear();
    this.metrics?.close();
  }

  private onStart(start: RunStart): void {
    this.classification = start.classification;
    const out = (text: string) => this.options.output.write(`${text}\n`);
    out(`ranks: ${start.ranks} (${start.transport}); data: ${start.data} (${formatCount(start.trainSize)} train, ${formatCount(start.testSize)} test examples)`);
    out(`model: ${start.model}${start.backend ? `; backend: ${start.backend}` : ''}`);
    out(`composition: ${start.plugins.join('; ')}`);
    out(`optimizer: ${start.optimizer}; batch ${start.batchSize} per rank, ${start.stepsPerEpoch} steps per epoch, ${start.epochs} epoch${start.epochs === 1 ? '' : 's'}`);
    if (start.startStep > 0) out(`resumed from the checkpoint at step ${start.startStep}`);
    this.progress = new ProgressLine(this.options.output, {
      epochs: start.epochs,
      stepsPerEpoch: start.stepsPerEpoch,
      examplesPerStep: start.batchSize * start.ranks,
      classification: start.classification,
    });
  }
}
