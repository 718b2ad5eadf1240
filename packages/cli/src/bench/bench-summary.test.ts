import type { EpochEvent, StepEvent } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import type { MetricsRecord } from '../report/metrics-file.js';
import type { RankResult, RunStart } from '../run/run-messages.js';
import { parseMetricsLines, summarizeRun, type BenchRunContext } from './bench-summary.js';

const start: RunStart = {
  type: 'start',
  ranks: 2,
  transport: 'mpi',
  backend: 'wasm',
  model: 'mlp 784-32-10 (relu), 25,450 parameters',
  data: 'fashion-mnist',
  classification: true,
  trainSize: 512,
  testSize: 256,
  plugins: ['sync-policy: localSgd(period=4)'],
  optimizer: 'sgd, lr 0.1',
  batchSize: 32,
  stepsPerEpoch: 8,
  epochs: 3,
  startStep: 0,
};

const epoch = (n: number, accuracy: number, elapsedMs: number, bytesSent: number, syncCount: number): EpochEvent => ({
  type: 'epoch',
  rank: 0,
  epoch: n,
  step: 8 * (n + 1),
  trainLoss: 1 / (n + 1),
  testLoss: 2 / (n + 1),
  testAccuracy: accuracy,
  elapsedMs,
  bytesSent,
  syncCount,
});

const result = (rank: number, bytesSent: number): RankResult => ({
  rank,
  steps: 24,
  epochs: 3,
  syncCount: 6,
  bytesSent,
  elapsedMs: 3100,
  trainLoss: 0.33,
  resumedAtStep: 0,
  ...(rank === 0 && { test: { loss: 0.5, accuracy: 0.84, count: 256 } }),
});

const context: BenchRunContext = {
  name: 'local-sgd',
  config: '/x/local-sgd.json',
  metrics: '/x/out/local-sgd.jsonl',
  wallMs: 5000,
  loadAverage: { start: [1, 1, 1], end: [2, 1, 1] },
  targetAccuracy: 0.8,
};

const step = (n: number, bytesSent: number): StepEvent => ({
  type: 'step',
  rank: 0,
  step: n,
  epoch: 0,
  loss: 1,
  lr: 0.1,
  timings: { compute: 1, compression: 0, communication: 1, wait: 0, total: 2 },
  bytesSent,
  synced: bytesSent > 0,
  syncCount: 0,
  traces: {},
});

const records: MetricsRecord[] = [
  start,
  step(0, 0),
  step(1, 300),
  step(2, 0),
  step(3, 100),
  epoch(0, 0.7, 1000, 400, 2),
  epoch(1, 0.81, 2100, 800, 4),
  epoch(2, 0.79, 3000, 1200, 6),
  { type: 'result', wallMs: 3500, results: [result(1, 1000), result(0, 1200)] },
];

describe('summarizeRun', () => {
  it("takes syncs, steps and every rank's bytes from the result line, in rank order, and divides bytes by steps", () => {
    const run = summarizeRun(records, context);
    expect(run).toMatchObject({ status: 'ok', syncCount: 6, steps: 24, epochs: 3, bytesSentPerRank: [1200, 1000], meanBytesSentPerRank: 1100 });
    expect(run.bytesPerStep).toBeCloseTo(1100 / 24, 10);
    // Steady state: rank 0's bytes inside its steps only, per recorded step.
    expect(run.stepBytesPerStep).toBe(100);
    expect(run).toMatchObject({ testAccuracy: 0.84, testLoss: 0.5, trainLoss: 0.33, trainingMs: 3100, wallMs: 5000 });
    expect(run.composition).toEqual(['sync-policy: localSgd(period=4)']);
  });

  it('turns cumulative epoch events into per-epoch figures', () => {
    const run = summarizeRun(records, context);
    expect(run.perEpoch.map((e) => [e.epoch, e.wallMs, e.bytesSent, e.syncs])).toEqual([
      [1, 1000, 400, 2],
      [2, 1100, 400, 2],
      [3, 900, 400, 2],
    ]);
    expect(run.meanEpochMs).toBeCloseTo(1000, 10);
  });

  it('times the first epoch that reaches the target, even when a later one falls back below it', () => {
    expect(summarizeRun(records, context)).toMatchObject({ timeToTargetMs: 2100, epochToTarget: 2 });
    expect(summarizeRun(records, { ...context, targetAccuracy: 0.9 })).toMatchObject({ timeToTargetMs: null, epochToTarget: null, targetAccuracy: 0.9 });
    const { targetAccuracy: _, ...untargeted } = context;
    expect(summarizeRun(records, untargeted)).toMatchObject({ timeToTargetMs: null, targetAccuracy: null });
  });

  it('marks a run without a result line as failed and keeps what its epochs recorded', () => {
    const run = summarizeRun(records.slice(0, 7), context);
    expect(run.status).toBe('failed');
    expect(run.error).toBe('the run ended without a result line in its metrics file');
    expect(run).toMatchObject({ syncCount: 4, bytesSentPerRank: [800], testAccuracy: null });
    expect(summarizeRun(records, { ...context, error: 'mpirun exited with status 1' })).toMatchObject({ status: 'failed', error: 'mpirun exited with status 1' });
  });
});

describe('parseMetricsLines', () => {
  it('skips blank lines and the torn last line of a killed run', () => {
    const text = `${JSON.stringify(start)}\n\n${JSON.stringify(records[1])}\n{"type":"epo`;
    expect(parseMetricsLines(text)).toEqual([start, records[1]]);
  });
});
