import {
  OptionError,
  booleanOption,
  choiceOption,
  formatValue,
  knownOptions,
  numberOption,
  type Clock,
  type Dataset,
  type PluginSpec,
  type TrainableModel,
  type Transport,
} from '@syncopate/core';
import type { OptimizerSpec } from '../optimizers/optimizer.js';
import { sgd } from '../optimizers/sgd.js';
import type { LrSchedule } from '../schedules/schedule.js';

/** Everything {@link createTrainer} needs. */
export interface TrainerOptions {
  /** This rank's transport (`localTransport`, `mpiTransport`, …). */
  readonly transport: Transport;
  /** The model to train: `tfjsModel(…)`, or a pure-TypeScript `TrainableModel`. */
  readonly model: TrainableModel;
  readonly data: Dataset;
  /** At most one plugin per kind; omitted kinds take their defaults. */
  readonly plugins?: readonly PluginSpec[];
  /** Base optimizer on the flat buffers. Default `sgd()`. */
  readonly optimizer?: OptimizerSpec;
  /** Base learning rate η (> 0). Default 0.1. */
  readonly lr?: number;
  /** Learning-rate schedules applied to `lr` in order (e.g. linearScaling, linearWarmup, stepDecay). */
  readonly schedules?: readonly LrSchedule[];
  /** Per-rank mini-batch size. Default 32. */
  readonly batchSize?: number;
  /** Run seed shared by every rank: data order and all plugin randomness. Default 0. */
  readonly seed?: number;
  /** How each rank's shard is drawn each epoch (see core's `ShardOptions`). Default `global`. */
  readonly shuffle?: 'fixed' | 'global';
  /**
   * What to do when a gradient holds NaN or ±Inf: `stop` (default) ends the run with a
   * `NonFiniteError` naming the step and the tensor; `skip` drops the step on every rank (the
   * ranks agree through one extra one-number max-reduction per step).
   */
  readonly nonFinite?: 'stop' | 'skip';
  /** Evaluate on the test set at the end of each epoch. Default true. */
  readonly evaluate?: boolean;
  /** Where timings are read from. Default: the transport's clock. */
  readonly clock?: Clock;
  /**
   * Record a per-rank timeline of compute, compression, communication and wait spans, read from
   * `trainer.timeline` and written with `writeChromeTrace`. Default false (nothing recorded).
   */
  readonly trace?: boolean;
  /**
   * `next-step`: compute each step's gradient while the previous step's gradient is still being
   * averaged, and apply each average one step late (pipelined SGD, the ByteScheduler-style
   * fallback for tfjs, which cannot split the forward pass per layer). Faster when communication
   * and compute take similar time, but not BSP: results differ from `none`. Needs the `bsp`
   * policy and no momentum plugin; a run with an update in flight cannot be checkpointed.
   * Default `none`. See docs/algorithms/wait-free-backprop.md.
   */
  readonly overlap?: 'none' | 'next-step';
  /**
   * Sum every element of the gradient in the same order whatever the bucketing (tensor fusion,
   * priority partitions): each allreduce learns its bucket's place in the parameter vector
   * (`elementOffset`) and ring-shaped algorithms pick an element's block from that global
   * position, so BSP ends with bit-identical parameters under every scheduler. Costs one packing
   * copy in and out of each allreduce (about 2 ms per 235K floats, 90 ms per 1e7 floats on the
   * 2-core VM), which is why it is off by default. Guaranteed for the collectives of
   * `@syncopate/collectives` and the local transports; Open MPI's own allreduce picks its
   * algorithm by message size, so with `nativeCollective` over MPI it holds only where that
   * algorithm is ring-shaped. Default false.
   */
  readonly deterministicReduction?: boolean;
}

/** Trainer settings after validation, with defaults filled in. */
export interface ResolvedTrainerOptions {
  readonly optimizer: OptimizerSpec;
  readonly lr: number;
  readonly schedules: readonly LrSchedule[];
  readonly batchSize: number;
  readonly seed: number;
  readonly shuffle: 'fixed' | 'global';
  readonly nonFinite: 'stop' | 'skip';
  readonly evaluate: boolean;
  readonly trace: boolean;
  readonly overlap: 'none' | 'next-step';
  readonly deterministicReduction: boolean;
}

const KNOWN = ['transport', 'model', 'data', 'plugins', 'optimizer', 'lr', 'schedules', 'batchSize', 'seed', 'shuffle', 'nonFinite', 'evaluate', 'clock', 'trace', 'overlap', 'deterministicReduction'];

function requireShape(option: string, value: unknown, members: readonly string[], what: string): void {
  const ok = value !== null && typeof value === 'object' && members.every((m) => m in (value as object));
  if (!ok) throw new OptionError('createTrainer', option, `must be ${what}, got ${formatValue(value)}`);
}

/** Check the trainer's own options at once, naming the option and what it must be. */
export function resolveTrainerOptions(options: TrainerOptions): ResolvedTrainerOptions {
  knownOptions('createTrainer', options, KNOWN);
  requireShape('transport', options?.transport, ['rank', 'size', 'send', 'recv', 'collectives'], 'a Transport');
  requireShape('model', options.model, ['layout', 'readParameters', 'writeParameters', 'computeGradients'], 'a TrainableModel (e.g. tfjsModel(model, { loss }))');
  requireShape('data', options.data, ['trainBatches', 'batchesPerEpoch', 'testBatches'], 'a Dataset');
  const optimizer = options.optimizer ?? sgd();
  requireShape('optimizer', optimizer, ['name', 'options', 'create'], 'an optimizer spec such as sgd() or adam()');
  const schedules = options.schedules ?? [];
  if (!Array.isArray(schedules)) throw new OptionError('createTrainer', 'schedules', `must be an array of schedules, got ${formatValue(schedules)}`);
  schedules.forEach((s, i) => requireShape(`schedules[${i}]`, s, ['name', 'apply'], 'a schedule such as stepDecay({ boundaries })'));
  return Object.freeze({
    optimizer,
    lr: numberOption('createTrainer', 'lr', options.lr, { above: 0 }, 0.1),
    schedules: Object.freeze([...schedules]),
    batchSize: numberOption('createTrainer', 'batchSize', options.batchSize, { min: 1, integer: true }, 32),
    seed: numberOption('createTrainer', 'seed', options.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }, 0),
    shuffle: choiceOption('createTrainer', 'shuffle', options.shuffle, ['fixed', 'global'] as const, 'global'),
    nonFinite: choiceOption('createTrainer', 'nonFinite', options.nonFinite, ['stop', 'skip'] as const, 'stop'),
    evaluate: booleanOption('createTrainer', 'evaluate', options.evaluate, true),
    trace: booleanOption('createTrainer', 'trace', options.trace, false),
    overlap: choiceOption('createTrainer', 'overlap', options.overlap, ['none', 'next-step'] as const, 'none'),
    deterministicReduction: booleanOption('createTrainer', 'deterministicReduction', options.deterministicReduction, false),
  });
}

/** The settings every rank must agree on, for the composition hash. */
export function describeTrainerOptions(resolved: ResolvedTrainerOptions): unknown {
  return {
    optimizer: { name: resolved.optimizer.name, options: resolved.optimizer.options },
    lr: resolved.lr,
    schedules: resolved.schedules.map((s) => ({ name: s.name, options: s.options })),
    batchSize: resolved.batchSize,
    seed: resolved.seed,
    shuffle: resolved.shuffle,
    nonFinite: resolved.nonFinite,
    // Only when set, so that compositions without it keep their hashes.
    ...(resolved.overlap !== 'none' && { overlap: resolved.overlap }),
    ...(resolved.deterministicReduction && { deterministicReduction: true }),
  };
}
