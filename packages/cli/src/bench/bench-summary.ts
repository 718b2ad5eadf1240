/**
 * The JSON summary of `syncopate bench`: one {@link BenchRun} per config, built from the metrics
 * JSONL file its `syncopate train` run wrote (the start line, rank 0's step and epoch events and
 * every rank's result), plus what the bench measured around it. The format is documented in
 * docs/cli.md and read by the benchmark scripts in tools/bench; fields are only ever added.
 */
import type { EpochEvent, StepEvent } from '@syncopate/core';
import type { MetricsRecord, MetricsResult } from '../report/metrics-file.js';
import type { RunStart } from '../run/run-messages.js';

/** Version of the summary format; bumped only if a field changes meaning. */
export const BENCH_FORMAT = 1;

/** One epoch as rank 0 saw it. */
export interface BenchEpoch {
  /** 1-based. */
  readonly epoch: number;
  readonly trainLoss: number;
  readonly testLoss: number | null;
  readonly testAccuracy: number | null;
  /** Time since the run started at the end of this epoch, in ms (rank 0's clock). */
  readonly elapsedMs: number;
  /** Time this epoch took, in ms. */
  readonly wallMs: number;
  /** Bytes rank 0 sent during this epoch. */
  readonly bytesSent: number;
  /** Synchronisations (averaging rounds) in this epoch. */
  readonly syncs: number;
}

/** The summary of one config's run. */
export interface BenchRun {
  /** The config's name: its file name, or its folder's for `…/config.json`. */
  readonly name: string;
  /** Absolute path of the config file. */
  readonly config: string;
  readonly description: string | null;
  /** `ok`, or `failed` with the reason in `error` (figures then cover what was recorded). */
  readonly status: 'ok' | 'failed';
  readonly error?: string;
  /** The composition as `kind: name(options)`, defaults included. */
  readonly composition: readonly string[];
  readonly model: string | null;
  readonly data: string | null;
  readonly backend: string | null;
  readonly trainSize: number | null;
  readonly testSize: number | null;
  /** Examples per step on each rank. */
  readonly batchSize: number | null;
  readonly stepsPerEpoch: number | null;
  /** Epochs completed. */
  readonly epochs: number;
  /** Steps each rank took. */
  readonly steps: number;
  /** Synchronisations (averaging rounds) in the whole run, as rank 0 counted them. */
  readonly syncCount: number;
  /** Bytes each rank's transport sent, in rank order. */
  readonly bytesSentPerRank: readonly number[];
  /** Mean over ranks of the bytes sent. */
  readonly meanBytesSentPerRank: number;
  /** {@link meanBytesSentPerRank} divided by {@link steps} (start-up broadcast and any closing average included). */
  readonly bytesPerStep: number;
  /** Rank 0's bytes sent inside its training steps, per step: the steady-state traffic, without start-up and closing exchanges. */
  readonly stepBytesPerStep: number;
  /** Bytes each namespace's interface sent during the run (IP and TCP headers, MPI start-up included), when read. */
  readonly wireBytesPerRank: readonly number[] | null;
  /** Mean training loss of the last epoch (rank 0). */
  readonly trainLoss: number | null;
  /** Test loss and accuracy of the final parameters (rank 0). */
  readonly testLoss: number | null;
  readonly testAccuracy: number | null;
  readonly perEpoch: readonly BenchEpoch[];
  /** From launching mpirun to its exit (start-up, data loading and the final evaluation included), in ms. */
  readonly wallMs: number;
  /** Training only, on rank 0's clock, in ms. */
  readonly trainingMs: number | null;
  /** Mean of the epochs' {@link BenchEpoch.wallMs}. */
  readonly meanEpochMs: number | null;
  /** The target accuracy of `--target-accuracy`, or null. */
  readonly targetAccuracy: number | null;
  /**
   * Elapsed training time at the end of the first epoch whose test accuracy reached the target,
   * in ms; null when no epoch did (or no target was given). Epoch resolution: accuracy is measured per epoch.
   */
  readonly timeToTargetMs: number | null;
  /** 1-based epoch at which the target was first reached, or null. */
  readonly epochToTarget: number | null;
  /** `os.loadavg()` (1, 5, 15 min) just before and just after the run. */
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  /** The metrics JSONL file of the run. */
  readonly metrics: string;
}

/** The whole summary `syncopate bench --json FILE` writes. */
export interface BenchSummary {
  readonly format: typeof BENCH_FORMAT;
  readonly tool: 'syncopate bench';
  readonly version: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly network: { readonly rate: string; readonly delayMs: number; readonly shaper: 'tbf'; readonly hosts: number; readonly lab: string | null };
  readonly ranks: number;
  readonly targetAccuracy: number | null;
  readonly runs: readonly BenchRun[];
  /** Chart files (SVG and PNG) comparing the runs. */
  readonly plots: readonly string[];
}

/** What the bench knows about a run besides its metrics file. */
export interface BenchRunContext {
  readonly name: string;
  readonly config: string;
  readonly description?: string;
  readonly metrics: string;
  readonly wallMs: number;
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly targetAccuracy?: number;
  readonly wireBytesPerRank?: readonly number[];
  readonly error?: string;
}

/** Parse the lines of a metrics JSONL file; lines that are not JSON objects (a torn last line) are skipped. */
export function parseMetricsLines(text: string): MetricsRecord[] {
  const records: MetricsRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string') records.push(value as MetricsRecord);
    } catch {
      // A run killed mid-write leaves a partial line: the summary covers what was recorded.
    }
  }
  return records;
}

const finite = (x: number | undefined): number | null => (x === undefined || !Number.isFinite(x) ? null : x);

/** The first epoch whose test accuracy reached `target`, or undefined. */
export function firstEpochReaching(epochs: readonly EpochEvent[], target: number): EpochEvent | undefined {
  return epochs.find((e) => e.testAccuracy !== undefined && e.testAccuracy >= target);
}

/** Summarise one run from its metrics records (rank 0's view, every rank's result) and the bench's context. */
export function summarizeRun(records: readonly MetricsRecord[], context: BenchRunContext): BenchRun {
  const start = records.find((r): r is RunStart => r.type === 'start');
  const rank0 = Math.min(...records.filter((r) => r.type === 'epoch' || r.type === 'step').map((r) => (r as EpochEvent).rank));
  const epochs = records.filter((r): r is EpochEvent => r.type === 'epoch' && r.rank === rank0);
  const stepEvents = records.filter((r): r is StepEvent => r.type === 'step' && r.rank === rank0);
  const result = records.filter((r): r is MetricsResult => r.type === 'result').at(-1);
  const lastEpoch = epochs.at(-1);
  const mine = result?.results.find((r) => r.rank === 0) ?? result?.results[0];
  const perRank = result ? [...result.results].sort((a, b) => a.rank - b.rank).map((r) => r.bytesSent) : lastEpoch ? [lastEpoch.bytesSent] : [];
  const meanBytes = perRank.length ? perRank.reduce((a, b) => a + b, 0) / perRank.length : 0;
  const steps = mine?.steps ?? lastEpoch?.step ?? 0;
  const perEpoch = epochs.map((e, i): BenchEpoch => {
    const previous = epochs[i - 1];
    return {
      epoch: e.epoch + 1,
      trainLoss: e.trainLoss,
      testLoss: finite(e.testLoss),
      testAccuracy: finite(e.testAccuracy),
      elapsedMs: e.elapsedMs,
      wallMs: e.elapsedMs - (previous?.elapsedMs ?? 0),
      bytesSent: e.bytesSent - (previous?.bytesSent ?? 0),
      syncs: e.syncCount - (previous?.syncCount ?? 0),
    };
  });
  const reached = context.targetAccuracy === undefined ? undefined : firstEpochReaching(epochs, context.targetAccuracy);
  const error = context.error ?? (result ? undefined : 'the run ended without a result line in its metrics file');
  return {
    name: context.name,
    config: context.config,
    description: context.description ?? null,
    status: error === undefined ? 'ok' : 'failed',
    ...(error !== undefined && { error }),
    composition: start?.plugins ?? [],
    model: start?.model ?? null,
    data: start?.data ?? null,
    backend: start?.backend ?? null,
    trainSize: start?.trainSize ?? null,
    testSize: start?.testSize ?? null,
    batchSize: start?.batchSize ?? null,
    stepsPerEpoch: start?.stepsPerEpoch ?? null,
    epochs: mine?.epochs ?? epochs.length,
    steps,
    syncCount: mine?.syncCount ?? lastEpoch?.syncCount ?? 0,
    bytesSentPerRank: perRank,
    meanBytesSentPerRank: meanBytes,
    bytesPerStep: steps > 0 ? meanBytes / steps : 0,
    stepBytesPerStep: stepEvents.length ? stepEvents.reduce((sum, e) => sum + e.bytesSent, 0) / stepEvents.length : 0,
    wireBytesPerRank: context.wireBytesPerRank ?? null,
    trainLoss: finite(mine?.trainLoss ?? lastEpoch?.trainLoss),
    testLoss: finite(mine?.test?.loss),
    testAccuracy: finite(mine?.test?.accuracy),
    perEpoch,
    wallMs: context.wallMs,
    trainingMs: finite(mine?.elapsedMs ?? lastEpoch?.elapsedMs),
    meanEpochMs: perEpoch.length ? perEpoch.reduce((sum, e) => sum + e.wallMs, 0) / perEpoch.length : null,
    targetAccuracy: context.targetAccuracy ?? null,
    timeToTargetMs: reached?.elapsedMs ?? null,
    epochToTarget: reached ? reached.epoch + 1 : null,
    loadAverage: context.loadAverage,
    metrics: context.metrics,
  };
}
