/**
 * The base optimizer and learning-rate schedules of a config, made with the trainer's factories
 * (`sgd`, `momentumSgd`, `nesterovSgd`, `adam`; `stepDecay`, `linearWarmup`, `linearScaling`).
 */
import { adam, linearScaling, linearWarmup, momentumSgd, nesterovSgd, sgd, stepDecay, type LrSchedule, type OptimizerSpec } from '@syncopate/trainer';
import type { NamedOptions, OptimizerConfig } from '../config/train-config.js';

/** Optimizer names a config may use, and the trainer factory each stands for. */
export const OPTIMIZERS: Readonly<Record<OptimizerConfig['name'], (options: never) => OptimizerSpec>> = {
  sgd,
  momentum: momentumSgd,
  nesterov: nesterovSgd,
  adam,
};

/** Schedule names a config may use. */
export const SCHEDULES: Readonly<Record<string, (options: never) => LrSchedule>> = { stepDecay, linearWarmup, linearScaling };

/** The optimizer spec of `config` (throws the factory's `OptionError` on bad options). */
export function buildOptimizer(config: OptimizerConfig): OptimizerSpec {
  return OPTIMIZERS[config.name](config.options as never);
}

/** The schedule of one `schedules[i]` entry (throws the factory's `OptionError` on bad options). */
export function buildSchedule(entry: NamedOptions): LrSchedule {
  const factory = SCHEDULES[entry.name];
  if (!factory) throw new Error(`unknown schedule '${entry.name}'`);
  return factory(entry.options as never);
}
