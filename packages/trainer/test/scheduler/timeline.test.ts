/**
 * The timeline (issue #8): every rank records step, compute, compression, communication and wait
 * spans; the trace file is Chrome-trace JSON Perfetto opens; per-rank files merge into one view.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionError, type StepEvent } from '@syncopate/core';
import { qsgd } from '@syncopate/compression';
import { leastSquares } from '@syncopate/data';
import { fusion, priority } from '@syncopate/scheduler';
import { afterAll, describe, expect, it } from 'vitest';
import { onRanks } from '../../src/test-support/simulated-ranks.js';
import { createTrainer } from '../../src/create-trainer.js';
import { TRACKS } from '../../src/timeline/timeline.js';
import { writeChromeTrace, type ChromeTrace, type CompleteEvent } from '../../src/timeline/chrome-trace.js';
import { mergeTraces } from '../../src/timeline/merge-traces.js';

const problem = leastSquares({ samples: 128, features: 64, noise: 0.1, seed: 5 });
const folder = mkdtempSync(join(tmpdir(), 'syncopate-trace-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const SPAN_NAMES = ['step', 'compute', 'compression', 'communication', 'wait'];

/** Train 4 ranks for one epoch with tracing; each rank writes its trace file. */
async function tracedRun(plugins: Parameters<typeof createTrainer>[0]['plugins'], tag: string) {
  return onRanks(4, problem, () => ({ plugins, trace: true, evaluate: false }), async (trainer) => {
    await trainer.fit({ epochs: 1 });
    const file = join(folder, `${tag}.rank${trainer.rank}.json`);
    writeChromeTrace(file, trainer.timeline!.events());
    return file;
  });
}

function spans(trace: ChromeTrace): CompleteEvent[] {
  return trace.traceEvents.filter((e): e is CompleteEvent => e.ph === 'X');
}

describe('timeline', () => {
  it('writes valid Chrome-trace JSON per rank with the expected spans, consistent with the step metrics', async () => {
    const outcomes = await tracedRun([priority({ partitionBytes: 100 })], 'priority'); // 65 parameters → partitions of 25, 25, 15
    for (const [rank, outcome] of outcomes.entries()) {
      const trace = JSON.parse(readFileSync(outcome.result, 'utf8')) as ChromeTrace;
      expect(Array.isArray(trace.traceEvents)).toBe(true);
      const all = spans(trace);
      for (const e of all) {
        expect(SPAN_NAMES).toContain(e.name);
        expect(e).toMatchObject({ ph: 'X', pid: rank });
        for (const field of ['ts', 'dur', 'tid'] as const) expect(Number.isFinite(e[field])).toBe(true);
        expect(e.dur).toBeGreaterThanOrEqual(0);
        expect(e.ts).toBeGreaterThanOrEqual(0); // after the handshake, the common origin
      }
      expect(trace.traceEvents).toContainEqual(expect.objectContaining({ ph: 'M', name: 'process_name', pid: rank, args: { name: `rank ${rank}` } }));
      const steps = outcome.events.filter((e): e is StepEvent => e.type === 'step');
      const stepSpans = all.filter((e) => e.name === 'step');
      expect(stepSpans.map((e) => e.args!.step)).toEqual(steps.map((e) => e.step));
      // Each step: one forward+backward and one optimizer compute span, a wait for each policy call,
      // and one communication span per bucket of the plan, carrying stream and bucket.
      for (const step of steps) {
        const ofStep = all.filter((e) => e.args?.step === step.step);
        expect(ofStep.filter((e) => e.name === 'compute').map((e) => e.args!.phase)).toEqual(['forward+backward', 'optimizer']);
        // The exchange's probe for a late rank, then the wait of each policy call (BSP syncs every step).
        expect(ofStep.filter((e) => e.name === 'wait').map((e) => e.args!.call)).toEqual(['probe', 'onGradients', 'onParameters', 'baseBuffer']);
        expect(ofStep.find((e) => e.args?.call === 'probe')!.tid).toBe(TRACKS.exchange);
        const communication = ofStep.filter((e) => e.name === 'communication');
        expect(communication.map((e) => e.args!.bucket)).toEqual([0, 1, 2]); // first layers first
        expect(communication.every((e) => e.args!.stream === 'gradient' && e.tid === TRACKS.exchange)).toBe(true);
        const traced = communication.reduce((sum, e) => sum + e.dur, 0) / 1000;
        expect(traced).toBeCloseTo(step.timings.communication, 3);
        // Spans of the step's training-loop track lie inside its step span.
        const outer = stepSpans.find((e) => e.args!.step === step.step)!;
        for (const inner of ofStep.filter((e) => e.tid === TRACKS.step && e !== outer)) {
          expect(inner.ts).toBeGreaterThanOrEqual(outer.ts);
          expect(inner.ts + inner.dur).toBeLessThanOrEqual(outer.ts + outer.dur + 1e-3);
        }
      }
      // Exchange-track spans never overlap (the exchange stage runs one request at a time).
      const exchange = all.filter((e) => e.tid === TRACKS.exchange).sort((a, b) => a.ts - b.ts);
      for (let i = 1; i < exchange.length; i++) expect(exchange[i]!.ts).toBeGreaterThanOrEqual(exchange[i - 1]!.ts + exchange[i - 1]!.dur - 1e-3);
    }
  });

  it('records compression spans when a compressor is composed', async () => {
    const outcomes = await tracedRun([qsgd({ levels: 4 })], 'qsgd');
    const all = spans(JSON.parse(readFileSync(outcomes[0]!.result, 'utf8')) as ChromeTrace);
    expect(all.some((e) => e.name === 'compression' && e.args!.stream === 'gradient')).toBe(true);
    expect(all.some((e) => e.name === 'communication')).toBe(true);
  });

  it('merges per-rank files into one view with a process per rank, losing no span', async () => {
    const outcomes = await tracedRun([fusion({ bucketBytes: 100 })], 'merge');
    const files = outcomes.map((o) => o.result);
    const merged = mergeTraces(files);
    const perFile = files.map((f) => spans(JSON.parse(readFileSync(f, 'utf8')) as ChromeTrace).length);
    expect(spans(merged)).toHaveLength(perFile.reduce((a, b) => a + b, 0));
    expect([...new Set(spans(merged).map((e) => e.pid))].sort()).toEqual([0, 1, 2, 3]);
    const names = merged.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.args?.name);
    expect(names).toEqual(['rank 0', 'rank 1', 'rank 2', 'rank 3']);
    // The same file twice: the copy moves to a free process id instead of mixing with the original.
    const twice = mergeTraces([files[0]!, files[0]!]);
    expect([...new Set(spans(twice).map((e) => e.pid))]).toHaveLength(2);
    JSON.parse(JSON.stringify(merged)); // plain JSON
  });

  it('records nothing unless asked, and names bad input', async () => {
    await onRanks(1, problem, () => ({ evaluate: false }), async (trainer) => expect(trainer.timeline).toBeUndefined());
    expect(() => createTrainer({ transport: {} as never, model: {} as never, data: {} as never, trace: 'yes' as never })).toThrow(OptionError);
    expect(() => mergeTraces([])).toThrow(/mergeTraces: option 'files' must be a non-empty array/);
    expect(() => mergeTraces([join(folder, 'missing.json')])).toThrow(/cannot read/);
    const notJson = join(folder, 'not-json.json');
    writeFileSync(notJson, 'hello');
    expect(() => mergeTraces([notJson])).toThrow(/is not JSON/);
  });
});
