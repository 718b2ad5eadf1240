/**
 * The progress of one epoch on rank 0: a bar with step, running loss and accuracy, and
 * throughput. On a terminal the line is redrawn in place (at most every `redrawMs`); otherwise a
 * plain line is printed at each quarter of the epoch, so CI logs stay short.
 */
import type { EpochEvent, StepEvent } from '@syncopate/core';
import { formatCount, formatLoss, formatPercent } from './format.js';
import type { Output } from './output.js';

/** What the bar needs to know about the run. */
export interface ProgressSetup {
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  /** Examples per step over all ranks (batch size × ranks). */
  readonly examplesPerStep: number;
  /** Show accuracy (classification data). Default true. */
  readonly classification?: boolean;
}

/** Running sums of the epoch in progress. */
interface EpochProgress {
  steps: number;
  lossSum: number;
  accuracySum: number;
  accuracyCount: number;
  /** ms of the run's clock spent in steps (rank 0). */
  stepMs: number;
  nextQuarter: number;
}

const fresh = (): EpochProgress => ({ steps: 0, lossSum: 0, accuracySum: 0, accuracyCount: 0, stepMs: 0, nextQuarter: 1 });

/**
 * Renders step and epoch events of rank 0.
 *
 * @example
 * ```ts
 * const bar = new ProgressLine(stdoutOutput(), { epochs: 2, stepsPerEpoch: 234, examplesPerStep: 256 });
 * trainer.metrics$.subscribe((e) => (e.type === 'step' ? bar.step(e) : bar.epoch(e)));
 * ```
 */
export class ProgressLine {
  private current = fresh();
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly output: Output,
    private readonly setup: ProgressSetup,
    private readonly redrawMs = 100,
  ) {}

  /** Examples per second over all ranks in the epoch so far, by the run's clock. */
  get throughput(): number {
    return this.current.stepMs > 0 ? (this.current.steps * this.setup.examplesPerStep * 1000) / this.current.stepMs : NaN;
  }

  step(event: StepEvent): void {
    const p = this.current;
    p.steps++;
    p.lossSum += event.loss;
    if (event.accuracy !== undefined) {
      p.accuracySum += event.accuracy;
      p.accuracyCount++;
    }
    p.stepMs += event.timings.total;
    const inEpoch = (event.step % this.setup.stepsPerEpoch) + 1;
    if (this.output.isTTY) {
      const now = performance.now();
      if (now - this.lastDraw < this.redrawMs && inEpoch < this.setup.stepsPerEpoch) return;
      this.lastDraw = now;
      this.output.write(`\r\x1b[2K${this.line(event.epoch, inEpoch)}`);
      this.drawn = true;
      return;
    }
    if (inEpoch >= (p.nextQuarter * this.setup.stepsPerEpoch) / 4 && p.nextQuarter < 4) {
      while (p.nextQuarter < 4 && inEpoch >= (p.nextQuarter * this.setup.stepsPerEpoch) / 4) p.nextQuarter++;
      this.output.write(`${this.line(event.epoch, inEpoch)}\n`);
    }
  }

  /** Ends the epoch's line with its summary. Returns the epoch's training throughput (examples/s). */
  epoch(event: EpochEvent): number {
    const throughput = this.throughput;
    const accuracy = event.testAccuracy !== undefined && this.setup.classification !== false ? `  test acc ${formatPercent(event.testAccuracy)}` : '';
    const test = event.testLoss === undefined ? '' : `  test loss ${formatLoss(event.testLoss)}${accuracy}`;
    const text = `epoch ${event.epoch + 1}/${this.setup.epochs}  train loss ${formatLoss(event.trainLoss)}${test}  ${formatCount(throughput)} ex/s`;
    this.output.write(`${this.output.isTTY && this.drawn ? '\r\x1b[2K' : ''}${text}\n`);
    this.current = fresh();
    this.drawn = false;
    return throughput;
  }

  /** Clears a half-drawn line (before printing something else on a terminal). */
  clear(): void {
    if (this.output.isTTY && this.drawn) this.output.write('\r\x1b[2K');
    this.drawn = false;
  }

  private line(epoch: number, inEpoch: number): string {
    const { stepsPerEpoch, epochs } = this.setup;
    const p = this.current;
    const fraction = Math.min(1, inEpoch / stepsPerEpoch);
    const width = this.output.isTTY ? Math.max(10, Math.min(30, (this.output.columns ?? 80) - 90)) : 20;
    const filled = Math.round(fraction * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const accuracy = p.accuracyCount > 0 ? `  acc ${formatPercent(p.accuracySum / p.accuracyCount, 1)}` : '';
    return `epoch ${epoch + 1}/${epochs} ${bar} ${String(Math.round(fraction * 100)).padStart(3)}%  step ${inEpoch}/${stepsPerEpoch}  loss ${formatLoss(p.lossSum / p.steps)}${accuracy}  ${formatCount(this.throughput)} ex/s`;
  }
}
