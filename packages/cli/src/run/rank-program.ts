/**
 * What every rank runs, whatever the transport: build the data, the model and the composition
 * from the validated config, train (with periodic checkpoints), and report. Rank 0 streams its
 * events to the reporter through `sink`; every rank returns a {@link RankResult}.
 */
import type { TrainableModel, Transport } from '@syncopate/core';
import { createTrainer, selectBackend, type FitResult, type Trainer } from '@syncopate/trainer';
import type { TrainConfig } from '../config/train-config.js';
import { buildPluginSpecs } from '../plugins/build-plugins.js';
import { buildData } from './build-data.js';
import { buildModel, describeModel } from './build-model.js';
import { delegateModel } from './delegate-model.js';
import { buildOptimizer, buildSchedule } from './build-optimizer.js';
import { checkpointSeries } from './checkpoint-files.js';
import { describeComposition, describeOptimizer } from './describe-run.js';
import type { RankResult, RunMessage } from './run-messages.js';
import { writeRunTrace } from './write-trace.js';

/** How a rank is run. */
export interface RankOptions {
  /** Receives rank 0's messages (ignored on other ranks). */
  readonly sink?: (message: RunMessage) => void;
  /** The backend already chosen for this thread (simulated ranks share one); chosen here otherwise. */
  readonly backend?: string;
  /**
   * Simulated transport: spend virtual time for a step's compute, given what it really took in ms.
   * The trainer's timings then show modelled compute next to modelled communication.
   */
  readonly spendCompute?: (measuredMs: number) => Promise<void>;
}

function withVirtualCompute(model: TrainableModel, spend: (ms: number) => Promise<void>): TrainableModel {
  return delegateModel(model, {
    computeGradients: async (batch, gradients) => {
      const started = performance.now();
      const report = await model.computeGradients(batch, gradients);
      await spend(performance.now() - started);
      return report;
    },
  });
}

/**
 * Resume from the newest step every rank holds intact (the ranks agree on it; files of later
 * steps are removed); a fresh start when no rank has a checkpoint. Refused on every rank when
 * files exist but no step is held by all.
 */
async function resume(trainer: Trainer, config: TrainConfig): Promise<void> {
  const checkpoint = config.checkpoint;
  if (!checkpoint?.resume) return;
  await trainer.resumeFrom(checkpointSeries(checkpoint));
}

async function train(trainer: Trainer, config: TrainConfig, sink: RankOptions['sink']): Promise<FitResult> {
  const checkpoint = config.checkpoint;
  if (!checkpoint) return trainer.fit({ epochs: config.epochs });
  const series = checkpointSeries(checkpoint);
  for (;;) {
    const stopAtStep = (Math.floor(trainer.step / checkpoint.everySteps) + 1) * checkpoint.everySteps;
    const result = await trainer.fit({ epochs: config.epochs, stopAtStep });
    if (result.completed) return result;
    // Coordinated: every rank writes this step, agrees all did, then prunes its older files.
    const path = await trainer.saveCheckpoint(series);
    sink?.({ type: 'checkpoint', step: trainer.step, path });
  }
}

/**
 * Train `config` on this rank over `transport` and report.
 *
 * @example
 * ```ts
 * const result = await runRank(transport, validateConfig(raw, 'run.json'), { sink: (m) => reporter.handle(m) });
 * ```
 */
export async function runRank(transport: Transport, config: TrainConfig, options: RankOptions = {}): Promise<RankResult> {
  const { rank, size } = transport;
  const sink = rank === 0 ? options.sink : undefined;
  const usesTfjs = config.model.name !== 'linear';
  const backend = usesTfjs ? (options.backend ?? (await selectBackend({ prefer: config.backend })).reason) : undefined;
  const data = buildData(config.data, config.model, config.seed);
  let model = data.problem?.createModel() ?? buildModel(config.model as Exclude<TrainConfig['model'], { name: 'linear' }>, data.dataset, config.seed);
  if (options.spendCompute) model = withVirtualCompute(model, options.spendCompute);
  const specs = buildPluginSpecs(config.plugins, config.source);
  const trainer = createTrainer({
    transport,
    model,
    data: data.dataset,
    plugins: specs,
    optimizer: buildOptimizer(config.optimizer),
    lr: config.optimizer.lr,
    schedules: config.schedules.map(buildSchedule),
    batchSize: config.batchSize,
    seed: config.seed,
    shuffle: config.data.shuffle,
    nonFinite: config.nonFinite,
    // Only rank 0 reports, so only rank 0 spends time on the test set.
    evaluate: config.evaluate && rank === 0,
    trace: config.trace !== undefined,
  });
  try {
    const subscription = sink ? trainer.metrics$.subscribe((event) => sink(event)) : undefined;
    let trainLoss = NaN;
    trainer.metrics$.subscribe((event) => {
      if (event.type === 'epoch') trainLoss = event.trainLoss;
    });
    const startedAt = transport.clock.now();
    const bytesAtStart = transport.stats.bytesSent;
    await trainer.start();
    await resume(trainer, config);
    const resumedAtStep = trainer.step;
    sink?.({
      type: 'start',
      ranks: size,
      transport: transport.name,
      ...(backend !== undefined && { backend }),
      model: describeModel(config.model, data.dataset, model.layout.totalLength),
      data: data.dataset.name,
      classification: data.dataset.numClasses !== undefined,
      trainSize: data.dataset.trainSize,
      testSize: data.dataset.testSize,
      plugins: describeComposition(specs, trainer.plugins),
      optimizer: describeOptimizer(config.optimizer, config.schedules),
      batchSize: config.batchSize,
      stepsPerEpoch: data.dataset.batchesPerEpoch({ rank, size, batchSize: config.batchSize, seed: config.seed, shuffle: config.data.shuffle, dropLast: true }),
      epochs: config.epochs,
      startStep: resumedAtStep,
    });
    const fit = await train(trainer, config, sink);
    const elapsedMs = transport.clock.now() - startedAt;
    if (config.trace !== undefined) await writeRunTrace(trainer, transport, config.trace);
    subscription?.unsubscribe();
    const test = rank === 0 && config.evaluate && data.dataset.testSize > 0 ? await trainer.evaluate() : undefined;
    return {
      rank,
      steps: fit.steps,
      epochs: fit.epochs,
      syncCount: fit.syncCount,
      bytesSent: transport.stats.bytesSent - bytesAtStart,
      elapsedMs,
      trainLoss,
      ...(test && { test: { loss: test.loss, accuracy: test.accuracy, count: test.count } }),
      ...(data.problem && { optimalityGap: data.problem.objective(trainer.parameters()) - data.problem.optimalLoss }),
      resumedAtStep,
    };
  } finally {
    await trainer.dispose();
    model.dispose?.();
  }
}
