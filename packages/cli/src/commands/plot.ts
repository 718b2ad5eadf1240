import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { OptionError, type EpochEvent, type StepEvent } from '@syncopate/core';
import { lineChartPng } from '../plot/png-chart.js';
import { lineChart, type Series } from '../svg-plot.js';

/** Image formats `syncopate plot` writes. */
export type PlotFormat = 'svg' | 'png';

/** Metrics of one run, read from the JSONL file `syncopate train --metrics` writes. */
export interface RunMetrics {
  readonly label: string;
  readonly steps: StepEvent[];
  readonly epochs: EpochEvent[];
}

/** Parse a metrics JSONL file; a bad line is an error naming the file and line. */
export function readMetrics(file: string): RunMetrics {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new OptionError('syncopate plot', 'file', `cannot be read: ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  const steps: StepEvent[] = [];
  const epochs: EpochEvent[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let event: { type?: string };
    try {
      event = JSON.parse(line);
    } catch {
      throw new OptionError('syncopate plot', 'file', `${file}:${i + 1} is not valid JSON`);
    }
    if (event.type === 'step') steps.push(event as StepEvent);
    else if (event.type === 'epoch') epochs.push(event as EpochEvent);
  });
  if (steps.length === 0 && epochs.length === 0) throw new OptionError('syncopate plot', 'file', `${file} holds no step or epoch events`);
  return { label: basename(file, extname(file)), steps, epochs };
}

/**
 * Curve labels: each file's name without extension, or its folder's name (`out/` skipped) when
 * two runs would otherwise share a label (`examples/bsp/out/metrics.jsonl` → `bsp`).
 */
export function runLabels(files: readonly string[]): string[] {
  const base = files.map((f) => basename(f, extname(f)));
  const folder = files.map((f) => basename(dirname(resolve(f)).replace(/\/out$/, '')));
  const labels = files.map((_, i) => (base.filter((b) => b === base[i]).length > 1 ? folder[i]! : base[i]!));
  return labels.map((label, i) => (labels.filter((l) => l === label).length > 1 ? `${label} (${i + 1})` : label));
}

/** Trailing moving average over `window` points (1: the values themselves). */
export function movingAverage(values: readonly number[], window: number): number[] {
  let sum = 0;
  return values.map((v, i) => {
    sum += v;
    if (i >= window) sum -= values[i - window]!;
    return sum / Math.min(i + 1, window);
  });
}

/** Rank 0's events (or the lowest rank present), in step order. */
function rankZero<T extends { rank: number; step: number }>(events: T[]): T[] {
  const lowest = Math.min(...events.map((e) => e.rank));
  return events.filter((e) => e.rank === lowest).sort((a, b) => a.step - b.step);
}

/**
 * Write loss curves for one or more runs: loss against steps, against wall time and against
 * bytes sent (and test accuracy against wall time when epochs carry it), as SVG or PNG. Returns
 * the files written.
 */
export function plotRuns(runs: readonly RunMetrics[], outDir: string, format: PlotFormat = 'svg', smooth = 1): string[] {
  const written: string[] = [];
  const chart = (name: string, series: Series[], title: string, xLabel: string, yLabel: string, logY = false) => {
    if (series.every((s) => s.points.length === 0)) return;
    const file = join(outDir, `${name}.${format}`);
    const options = { title, xLabel, yLabel, logY };
    writeFileSync(file, format === 'png' ? lineChartPng(series, options) : lineChart(series, options));
    written.push(file);
  };
  const perRun = runs.map((run) => {
    const steps = rankZero(run.steps);
    let elapsed = 0;
    let bytes = 0;
    const losses = movingAverage(steps.map((s) => s.loss), smooth);
    const points = steps.map((s, i) => {
      elapsed += s.timings.total;
      bytes += s.bytesSent;
      return { step: s.step, loss: losses[i]!, seconds: elapsed / 1000, megabytes: bytes / 1e6 };
    });
    return { run, points, epochs: rankZero(run.epochs) };
  });
  chart('loss-vs-steps', perRun.map(({ run, points }) => ({ label: run.label, points: points.map((p) => [p.step, p.loss] as const) })), 'Training loss', 'step', 'loss', true);
  chart('loss-vs-time', perRun.map(({ run, points }) => ({ label: run.label, points: points.map((p) => [p.seconds, p.loss] as const) })), 'Training loss against time', 'wall time (s, rank 0)', 'loss', true);
  chart('loss-vs-bytes', perRun.map(({ run, points }) => ({ label: run.label, points: points.map((p) => [p.megabytes, p.loss] as const) })), 'Training loss against traffic', 'MB sent (rank 0)', 'loss', true);
  chart(
    'accuracy-vs-time',
    perRun.map(({ run, epochs }) => ({
      label: run.label,
      // Regression runs report an accuracy of 0 at every epoch: no curve for them.
      points: epochs.every((e) => !e.testAccuracy) ? [] : epochs.filter((e) => e.testAccuracy !== undefined).map((e) => [e.elapsedMs / 1000, e.testAccuracy! * 100] as const),
    })),
    'Test accuracy',
    'wall time (s, rank 0)',
    'accuracy (%)',
  );
  return written;
}
