import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EpochEvent, StepEvent } from '@syncopate/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { RankResult, RunStart } from '../run/run-messages.js';
import { memoryOutput } from './output.js';
import { RunReporter } from './run-reporter.js';

const dir = mkdtempSync(join(tmpdir(), 'syncopate-reporter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start: RunStart = {
  type: 'start',
  ranks: 2,
  transport: 'local-threads',
  backend: 'wasm (SIMD, 1 thread)',
  model: 'mlp 784-16-10 (relu), 12,730 parameters',
  data: 'fashion-mnist',
  classification: true,
  trainSize: 64,
  testSize: 32,
  plugins: ['sync-policy: localSgd(period=2)', 'compressor: identity (default)'],
  optimizer: 'sgd, lr 0.1',
  batchSize: 8,
  stepsPerEpoch: 4,
  epochs: 2,
  startStep: 0,
};

const step = (n: number): StepEvent => ({
  type: 'step',
  rank: 0,
  step: n,
  epoch: Math.floor(n / 4),
  loss: 1 / (n + 1),
  accuracy: 0.5,
  lr: 0.1,
  timings: { compute: 1, compression: 0, communication: 1, wait: 0, total: 2 },
  bytesSent: n % 2 === 1 ? 1000 : 0,
  synced: n % 2 === 1,
  syncCount: Math.floor((n + 1) / 2),
  traces: {},
});

const epoch = (n: number): EpochEvent => ({
  type: 'epoch',
  rank: 0,
  epoch: n,
  step: 4 * (n + 1),
  trainLoss: 0.5 / (n + 1),
  testLoss: 0.4 / (n + 1),
  testAccuracy: 0.6 + 0.1 * n,
  elapsedMs: 1000 * (n + 1),
  bytesSent: 2000 * (n + 1),
  syncCount: 2 * (n + 1),
});

const result = (rank: number): RankResult => ({
  rank,
  steps: 8,
  epochs: 2,
  syncCount: 4,
  bytesSent: 4000,
  elapsedMs: 2000,
  trainLoss: 0.25,
  resumedAtStep: 0,
  ...(rank === 0 && { test: { loss: 0.2, accuracy: 0.7, count: 32 } }),
});

describe('RunReporter', () => {
  it('writes every event of rank 0 to the metrics file, one JSON object per line, between the start and every rank\'s result', () => {
    const path = join(dir, 'nested', 'metrics.jsonl');
    const reporter = new RunReporter({ output: memoryOutput(), metrics: path });
    const events = [step(0), step(1), step(2), step(3), epoch(0)];
    reporter.handle(start);
    for (const e of events) reporter.handle(e);
    reporter.finish({ results: [result(1), result(0)], wallMs: 2500 });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([start, ...events, { type: 'result', wallMs: 2500, results: [result(0), result(1)] }]);
  });

  it('prints the header, a line per epoch and a summary with per-epoch deltas and totals over ranks', () => {
    const output = memoryOutput();
    const reporter = new RunReporter({ output });
    reporter.handle(start);
    for (let n = 0; n < 8; n++) {
      reporter.handle(step(n));
      if (n % 4 === 3) reporter.handle(epoch(Math.floor(n / 4)));
    }
    const outcome = reporter.finish({ results: [result(0), result(1)], wallMs: 2500, modelledMs: 1800 });
    const text = output.text();
    expect(text).toContain('ranks: 2 (local-threads); data: fashion-mnist (64 train, 32 test examples)');
    expect(text).toContain('composition: sync-policy: localSgd(period=2); compressor: identity (default)');
    expect(text).toContain('epoch 2/2  train loss 0.2500  test loss 0.2000  test acc 70.00%  8,000 ex/s');
    const table = text.slice(text.indexOf('epoch  train loss'));
    expect(table.split('\n').slice(0, 4)).toEqual([
      'epoch  train loss  test loss  test acc   time   ex/s  sent (rank 0)  syncs',
      '-----  ----------  ---------  --------  -----  -----  -------------  -----',
      '    1      0.5000     0.4000    60.00%  1.0 s  8,000         2.0 kB      2',
      '    2      0.2500     0.2000    70.00%  1.0 s  8,000         2.0 kB      2',
    ]);
    expect(text).toContain('result: test accuracy 70.00%, test loss 0.2000 on 32 examples after 2 epochs (8 steps per rank, 4 synchronisations)');
    expect(text).toContain('traffic: 8.0 kB sent by 2 ranks (4.0 kB per rank)');
    expect(text).toContain('time: 2.5 s wall; modelled (simulated network, virtual clock) 1.8 s');
    expect(outcome).toMatchObject({ testAccuracy: 0.7, testLoss: 0.2, bytesSent: 8000, wallMs: 2500 });
    expect(outcome.epochs).toHaveLength(2);
  });
});
