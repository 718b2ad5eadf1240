/**
 * `overlap: 'next-step'` (issue #8's ByteScheduler-style fallback): each step's gradient is
 * averaged while the next step computes, and applied one step late. Tested for what it is —
 * pipelined SGD with a delay of one step, identical on every rank — and for what it buys: on the
 * simulated network with modelled compute, a step costs about max(compute, communication)
 * instead of their sum.
 */
import { CompositionError, OptionError, type StepEvent, type TrainableModel } from '@syncopate/core';
import { recursiveDoublingAllreduce } from '@syncopate/collectives';
import { leastSquares } from '@syncopate/data';
import { singleBucket } from '@syncopate/scheduler';
import { bsp, localSgd } from '@syncopate/sync-policy';
import { runSimulated, type SimulatedTransport } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { createTrainer } from '../../src/create-trainer.js';
import { failureOf, onRanks } from '../../src/test-support/simulated-ranks.js';

const problem = leastSquares({ samples: 256, features: 16, noise: 0.1, seed: 21 });
const ranks = 4;
const batchSize = 8;
const lr = 0.05;

/** Pipelined SGD by hand: w_{t+1} = w_t − lr · mean_r g_r(w_{t−1}'s successor…), i.e. step t applies step t − 1's average. */
async function reference(epochs: number): Promise<Float32Array> {
  const model = problem.createModel();
  const w = model.layout.allocate();
  model.readParameters(w);
  const g = model.layout.allocate();
  let pending: Float64Array | undefined;
  const apply = (avg: Float64Array) => {
    for (let i = 0; i < w.length; i++) w[i] = Math.fround(w[i]! - Math.fround(lr * avg[i]!));
  };
  for (let epoch = 0; epoch < epochs; epoch++) {
    const iterators = Array.from({ length: ranks }, (_, rank) =>
      problem.dataset.trainBatches(epoch, { rank, size: ranks, batchSize, seed: 0, shuffle: 'global', dropLast: true })[Symbol.iterator](),
    );
    const steps = problem.dataset.batchesPerEpoch({ rank: 0, size: ranks, batchSize, seed: 0, shuffle: 'global', dropLast: true });
    for (let s = 0; s < steps; s++) {
      model.writeParameters(w);
      const avg = new Float64Array(w.length);
      for (const it of iterators) {
        await model.computeGradients(it.next().value!, g);
        for (let i = 0; i < g.length; i++) avg[i]! += g[i]! / ranks;
      }
      if (pending) apply(pending);
      pending = avg;
    }
  }
  if (pending) apply(pending);
  return w;
}

describe("overlap: 'next-step'", () => {
  it('is pipelined SGD with a one-step delay, identical on every rank, and not BSP', async () => {
    const run = (overlap: 'none' | 'next-step') =>
      onRanks(ranks, problem, () => ({ plugins: [bsp(), recursiveDoublingAllreduce()], overlap, evaluate: false, lr, batchSize }), (t) => t.fit({ epochs: 2 }));
    const overlapped = await run('next-step');
    const expected = await reference(2);
    for (const o of overlapped) expect(o.parameters).toEqual(overlapped[0]!.parameters);
    for (let i = 0; i < expected.length; i++) expect(overlapped[0]!.parameters[i]).toBeCloseTo(expected[i]!, 5);
    const steps = overlapped[0]!.events.filter((e): e is StepEvent => e.type === 'step');
    expect(steps[0]!.synced).toBe(false); // nothing to apply yet at step 0
    expect(steps.slice(1).every((e) => e.synced && e.traces.appliedStep === e.step - 1)).toBe(true);
    const bulk = await run('none');
    const gap = Math.max(...bulk[0]!.parameters.map((x, i) => Math.abs(x - overlapped[0]!.parameters[i]!)));
    expect(gap).toBeGreaterThan(1e-4); // a one-step delay changes the trajectory
  });

  it('hides communication behind compute: a step costs about max(compute, communication), not their sum', async () => {
    const computeMs = 4;
    const stepTime = async (overlap: 'none' | 'next-step') => {
      const { results } = await runSimulated({ ranks, latencyMs: 0.5, bandwidthGbps: 1 }, async (transport: SimulatedTransport) => {
        const inner = problem.createModel();
        // The model spends modelled compute time on this rank's virtual clock; messages keep flowing meanwhile.
        const model: TrainableModel = {
          layout: inner.layout,
          readParameters: (into) => inner.readParameters(into),
          writeParameters: (from) => inner.writeParameters(from),
          evaluate: (batch) => inner.evaluate(batch),
          computeGradients: async (batch, out) => {
            await transport.advance(computeMs);
            return inner.computeGradients(batch, out);
          },
        };
        const trainer = createTrainer({ transport, model, data: problem.dataset, plugins: [bsp(), singleBucket()], overlap, evaluate: false, batchSize });
        const totals: number[] = [];
        const communication: number[] = [];
        trainer.metrics$.subscribe((e) => {
          if (e.type !== 'step' || e.step < 2) return;
          totals.push(e.timings.total);
          communication.push(e.timings.communication);
        });
        await trainer.fit({ epochs: 1 });
        await trainer.dispose();
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        return { step: mean(totals), communication: mean(communication) };
      });
      return results[0]!;
    };
    const plain = await stepTime('none');
    const overlapped = await stepTime('next-step');
    expect(plain.communication).toBeGreaterThan(2); // 6 ring steps of α = 0.5 ms: comparable to the 4 ms of compute
    expect(plain.step).toBeGreaterThanOrEqual(computeMs + plain.communication - 1e-9);
    expect(overlapped.step).toBeGreaterThanOrEqual(Math.max(computeMs, overlapped.communication) - 1e-9);
    expect(overlapped.step).toBeLessThan(0.75 * plain.step);
  });

  it('runs no straggler probe: the gradient is the first call in flight while the next step computes', async () => {
    const probes = async (overlap: 'none' | 'next-step') => {
      const [rank0] = await onRanks(ranks, problem, () => ({ plugins: [bsp()], overlap, trace: true, evaluate: false, lr, batchSize }), async (t) => {
        await t.fit({ epochs: 1 });
        return t.timeline!.events().filter((e) => e.name === 'wait' && e.args?.call === 'probe').length;
      });
      return rank0!.result;
    };
    expect(await probes('none')).toBe(256 / (ranks * batchSize)); // one per step when blocking
    expect(await probes('next-step')).toBe(0);
  });

  it('refuses compositions it cannot serve, bad values, and checkpoints with an update in flight', async () => {
    const make = (extra: object) => failureOf(runSimulated(1, (transport) => createTrainer({ transport, model: problem.createModel(), data: problem.dataset, ...extra })));
    expect(await make({ overlap: 'sideways' })).toBeInstanceOf(OptionError);
    expect((await make({ overlap: 'next-step', nonFinite: 'skip' })).message).toMatch(/cannot be combined with nonFinite 'skip'/);
    const refused = await make({ overlap: 'next-step', plugins: [localSgd({ period: 4 })] });
    expect(refused).toBeInstanceOf(CompositionError);
    expect(refused.message).toMatch(/needs the bsp policy.*policy 'localSgd'/);
    await onRanks(2, problem, () => ({ overlap: 'next-step', evaluate: false }), async (trainer) => {
      await trainer.fit({ epochs: 1, stopAtStep: 3 });
      await expect(trainer.save('/tmp/never-written.ckpt')).rejects.toThrow(/overlap 'next-step'/);
      const result = await trainer.fit({ epochs: 1 }); // continues after the pause, then applies the last average
      expect(result.completed).toBe(true);
    });
  });
});
