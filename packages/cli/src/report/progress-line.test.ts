import type { EpochEvent, StepEvent } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { memoryOutput } from './output.js';
import { ProgressLine } from './progress-line.js';

function step(step: number, loss: number, accuracy: number, totalMs: number): StepEvent {
  return {
    type: 'step',
    rank: 0,
    step,
    epoch: Math.floor(step / 8),
    loss,
    accuracy,
    lr: 0.1,
    timings: { compute: totalMs, compression: 0, communication: 0, wait: 0, total: totalMs },
    bytesSent: 0,
    synced: true,
    syncCount: step + 1,
    traces: {},
  };
}

const epochEnd = (epoch: number): EpochEvent => ({
  type: 'epoch',
  rank: 0,
  epoch,
  step: (epoch + 1) * 8,
  trainLoss: 0.5,
  testLoss: 0.25,
  testAccuracy: 0.875,
  elapsedMs: 100,
  bytesSent: 0,
  syncCount: 8,
});

describe('ProgressLine', () => {
  it('prints plain lines at each quarter of the epoch when the output is not a terminal', () => {
    const output = memoryOutput(false);
    const bar = new ProgressLine(output, { epochs: 2, stepsPerEpoch: 8, examplesPerStep: 100 });
    for (let s = 0; s < 8; s++) bar.step(step(s, 1 - s / 10, 0.5, 10));
    const throughput = bar.epoch(epochEnd(0));
    const lines = output.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(4); // 25 %, 50 %, 75 %, then the epoch's own line
    expect(lines[0]).toBe('epoch 1/2 [#####...............]  25%  step 2/8  loss 0.9500  acc 50.0%  10,000 ex/s');
    expect(lines[3]).toBe('epoch 1/2  train loss 0.5000  test loss 0.2500  test acc 87.50%  10,000 ex/s');
    expect(output.text()).not.toContain('\r');
    // 8 steps × 100 examples in 80 ms of the run's clock.
    expect(throughput).toBeCloseTo(10_000, 6);
  });

  it('redraws one line in place on a terminal and ends it with the epoch summary', () => {
    const output = memoryOutput(true);
    const bar = new ProgressLine(output, { epochs: 1, stepsPerEpoch: 8, examplesPerStep: 10 }, 0);
    for (let s = 0; s < 8; s++) bar.step(step(s, 1, 1, 5));
    bar.epoch(epochEnd(0));
    const text = output.text();
    expect(text.split('\n')).toHaveLength(2); // one finished line
    expect(text.split('\r\x1b[2K')).toHaveLength(10); // 8 redraws, then the summary replaces the bar
    expect(text).toContain('step 8/8');
  });

  it('leaves accuracy out for regression data, and counts steps within the epoch after a resume', () => {
    const output = memoryOutput(false);
    const bar = new ProgressLine(output, { epochs: 2, stepsPerEpoch: 8, examplesPerStep: 10, classification: false });
    for (let s = 12; s < 16; s++) bar.step({ ...step(s, 2, 0, 1), accuracy: undefined } as unknown as StepEvent);
    bar.epoch({ ...epochEnd(1), testAccuracy: 0 });
    // Steps 12–15 are steps 5–8 of the second epoch: the first one already passes the half-way mark.
    expect(output.text().split('\n')[0]).toBe('epoch 2/2 [#############.......]  63%  step 5/8  loss 2.0000  10,000 ex/s');
    expect(output.text()).not.toContain('acc');
  });
});
