/**
 * @packageDocumentation
 * The Syncopate composition root: `createTrainer` validates a composition of plugins, builds the
 * trainer's own child container and runs the RxJS step pipeline, in which gradients and
 * parameters both cross the network through one exchange stage. Also here: the tfjs model
 * adapter, base optimizers on flat buffers (SGD, momentum, Nesterov, Adam), learning-rate
 * schedules (step decay, linear warm-up, linear scaling), metrics and checkpoints.
 */
export { createTrainer } from './create-trainer.js';
export { Trainer, type FitOptions, type FitResult } from './training/trainer.js';
export type { Evaluation } from './training/evaluate.js';
export type { TrainerOptions } from './training/trainer-options.js';
export { tfjsModel, type TfjsModelOptions } from './model/tfjs-model.js';
export type { BaseOptimizer, OptimizerSpec } from './optimizers/optimizer.js';
export { Sgd, sgd } from './optimizers/sgd.js';
export { MomentumSgd, momentumSgd, type MomentumSgdOptions } from './optimizers/momentum-sgd.js';
export { NesterovSgd, nesterovSgd, type NesterovSgdOptions } from './optimizers/nesterov-sgd.js';
export { Adam, adam, type AdamOptions } from './optimizers/adam.js';
export { FlatKernels } from './optimizers/flat-kernels.js';
export { scheduledLr, type LrSchedule, type ScheduleInfo } from './schedules/schedule.js';
export { stepDecay, type StepDecayOptions } from './schedules/step-decay.js';
export { linearWarmup, type LinearWarmupOptions } from './schedules/linear-warmup.js';
export { linearScaling, type LinearScalingOptions } from './schedules/linear-scaling.js';
export { ExchangeStage, type ExchangeStageDependencies } from './exchange/exchange-stage.js';
export { ExchangeMeter, type ExchangeTotals } from './exchange/exchange-meter.js';
export { validateComposition, type ComposedPlugin, type Composition } from './composition/validate-composition.js';
export { defaultPlugins } from './composition/defaults.js';
export { HANDSHAKE_TAGS } from './startup/handshake.js';
export { AGREEMENT_TAGS } from './startup/rank-agreement.js';
export { readCheckpoint, removeStaleTemporaries, writeCheckpoint } from './checkpoint/checkpoint-file.js';
export { CheckpointSeries, type CheckpointSeriesOptions } from './checkpoint/checkpoint-series.js';
export * from './backend/index.js';
export { Timeline, TRACKS, type SpanName } from './timeline/timeline.js';
export { chromeTrace, writeChromeTrace, type ChromeTrace, type CompleteEvent, type MetadataEvent, type TraceEvent } from './timeline/chrome-trace.js';
export { mergeTraceObjects, mergeTraces } from './timeline/merge-traces.js';
