/**
 * Test support for the sync-policy tests of the trainer: one trainer per rank on a simulated
 * network with a chosen latency, per-step compute time (to place stragglers) and an optional
 * wrapper around each transport (to watch its messages), on a synthetic problem from
 * `@syncopate/data`. Every event is recorded with the virtual time at which it was emitted.
 */
import type { StepEvent, TrainableModel, TrainerEvent, Transport } from '@syncopate/core';
import type { SyntheticProblem } from '@syncopate/data';
import { runSimulated, type SimulatedNetworkOptions, type SimulatedTransport } from '@syncopate/transport-local';
import { createTrainer } from '../../src/create-trainer.js';
import type { Trainer } from '../../src/training/trainer.js';
import type { TrainerOptions } from '../../src/training/trainer-options.js';

/** What the model saw at one gradient computation. */
export interface ComputeRecord {
  readonly rank: number;
  /** Index of the gradient computation on this rank (the step, when no step is skipped). */
  readonly step: number;
  /** Virtual time at which the computation started, in ms. */
  readonly at: number;
  /** The parameters the gradient was computed at. */
  readonly parameters: Float32Array;
  readonly gradients: Float32Array;
}

/** How to run the ranks. */
export interface NetworkRun {
  readonly network: SimulatedNetworkOptions;
  /** Modelled compute time of each gradient computation, in virtual ms. Default 0. */
  readonly computeMs?: (rank: number, step: number) => number;
  /** Wrap each rank's transport (e.g. to record its messages). */
  readonly transport?: (transport: SimulatedTransport, rank: number) => Transport;
  /** Called at every gradient computation. */
  readonly onCompute?: (record: ComputeRecord) => void;
}

/** What each rank reports back. */
export interface TimedOutcome<T> {
  readonly parameters: Float32Array;
  readonly events: TrainerEvent[];
  /** Virtual time of each event's emission, in ms. */
  readonly times: number[];
  readonly result: T;
}

/**
 * Build one trainer per rank with `options(rank)` (transport, model and data filled in; batch size
 * 8, learning rate 0.05 unless given), run `body`, and return what each rank ended with.
 */
export async function onNetwork<T>(
  run: NetworkRun,
  problem: SyntheticProblem,
  options: (rank: number) => Partial<TrainerOptions>,
  body: (trainer: Trainer, transport: SimulatedTransport) => Promise<T>,
): Promise<{ outcomes: TimedOutcome<T>[]; finishMs: number[] }> {
  const { results, finishMs } = await runSimulated(run.network, async (transport, rank) => {
    const model = instrument(problem.createModel(), transport, rank, run);
    const trainer = createTrainer({ transport: run.transport?.(transport, rank) ?? transport, model, data: problem.dataset, batchSize: 8, lr: 0.05, ...options(rank) });
    const events: TrainerEvent[] = [];
    const times: number[] = [];
    trainer.metrics$.subscribe((event) => {
      events.push(event);
      times.push(transport.clock.now());
    });
    try {
      const result = await body(trainer, transport);
      return { parameters: trainer.parameters(), events, times, result };
    } finally {
      await trainer.dispose();
    }
  });
  return { outcomes: results, finishMs };
}

/** The step events of one rank. */
export function stepEvents(events: readonly TrainerEvent[]): StepEvent[] {
  return events.filter((e): e is StepEvent => e.type === 'step');
}

/** A model that spends `computeMs` of virtual time per gradient and reports each computation. */
function instrument(model: TrainableModel, transport: SimulatedTransport, rank: number, run: NetworkRun): TrainableModel {
  let step = 0;
  return {
    layout: model.layout,
    readParameters: (into) => model.readParameters(into),
    writeParameters: (from) => model.writeParameters(from),
    evaluate: (batch) => model.evaluate(batch),
    computeGradients: async (batch, gradients) => {
      const k = step++;
      const at = transport.clock.now();
      const ms = run.computeMs?.(rank, k) ?? 0;
      if (ms > 0) await transport.advance(ms);
      const report = await model.computeGradients(batch, gradients);
      if (run.onCompute) {
        const parameters = model.layout.allocate();
        model.readParameters(parameters);
        run.onCompute({ rank, step: k, at, parameters, gradients: gradients.slice() });
      }
      return report;
    },
  };
}

/** max over elements of |a − b| / (1 + |b|). */
export function relativeGap(a: Float32Array, b: Float32Array): number {
  let gap = 0;
  for (let i = 0; i < a.length; i++) gap = Math.max(gap, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return gap;
}
