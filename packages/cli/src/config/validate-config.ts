/**
 * Checks a parsed config file field by field and fills in every default, so the result can be
 * handed to every rank as plain JSON. Plugins, optimizer, schedules and synthetic data sets are
 * built once here, so their factories' option errors surface before any rank starts, naming the
 * config field.
 */
import { CompositionError } from '@syncopate/core';
import { leastSquares, logisticRegression } from '@syncopate/data';
import { defaultPlugins, validateComposition } from '@syncopate/trainer';
import { ConfigError, optionErrorAt } from '../cli-error.js';
import { buildPluginSpecs, readPluginEntry } from '../plugins/build-plugins.js';
import { OPTIMIZERS, SCHEDULES, buildOptimizer, buildSchedule } from '../run/build-optimizer.js';
import { checkpointSeries } from '../run/checkpoint-files.js';
import { FieldReader, fieldPath, type ConfigObject } from './fields.js';
import type {
  BackendChoice,
  CheckpointConfig,
  DataConfig,
  ModelConfig,
  NamedOptions,
  OptimizerConfig,
  TrainConfig,
  TransportConfig,
} from './train-config.js';

const TOP_LEVEL = [
  'description',
  'seed',
  'ranks',
  'transport',
  'data',
  'model',
  'backend',
  'optimizer',
  'schedules',
  'batchSize',
  'epochs',
  'plugins',
  'nonFinite',
  'evaluate',
  'metrics',
  'trace',
  'checkpoint',
];

const SHUFFLES = ['global', 'fixed'] as const;
const SYNTHETIC = { 'least-squares': leastSquares, 'logistic-regression': logisticRegression } as const;
const DATA_NAMES = ['fashion-mnist', 'least-squares', 'logistic-regression'] as const;

function readTransport(r: FieldReader, value: unknown): TransportConfig {
  const kinds = ['local', 'mpi', 'simulated'] as const;
  if (value === undefined || typeof value === 'string') value = { kind: r.choice(value, 'transport', kinds, 'local') };
  const kind = r.choice(r.record(value, 'transport').kind, 'transport.kind', kinds);
  if (kind === 'local') {
    r.object(value, 'transport', ['kind']);
    return { kind };
  }
  if (kind === 'mpi') {
    const o = r.object(value, 'transport', ['kind', 'timeoutMs']);
    return { kind, timeoutMs: r.number(o.timeoutMs, 'transport.timeoutMs', { above: 0 }, 120_000) };
  }
  const o = r.object(value, 'transport', ['kind', 'latencyMs', 'bandwidthGbps', 'computeMs']);
  const computeMs = o.computeMs === undefined || o.computeMs === 'measured' ? 'measured' : r.number(o.computeMs, 'transport.computeMs', { min: 0 });
  const bandwidthGbps = r.optionalNumber(o.bandwidthGbps, 'transport.bandwidthGbps', { above: 0 });
  return {
    kind,
    latencyMs: r.number(o.latencyMs, 'transport.latencyMs', { min: 0 }, 0),
    ...(bandwidthGbps !== undefined && { bandwidthGbps }),
    computeMs,
  };
}

function readData(r: FieldReader, value: unknown): DataConfig {
  const name = r.choice(r.record(value, 'data').name, 'data.name', DATA_NAMES);
  if (name === 'fashion-mnist') {
    const o = r.object(value, 'data', ['name', 'shuffle', 'dir', 'trainExamples', 'testExamples']);
    const trainExamples = r.optionalNumber(o.trainExamples, 'data.trainExamples', { min: 1, max: 60_000, integer: true });
    const testExamples = r.optionalNumber(o.testExamples, 'data.testExamples', { min: 0, max: 10_000, integer: true });
    return {
      name,
      shuffle: r.choice(o.shuffle, 'data.shuffle', SHUFFLES, 'global'),
      ...(o.dir !== undefined && { dir: r.string(o.dir, 'data.dir') }),
      ...(trainExamples !== undefined && { trainExamples }),
      ...(testExamples !== undefined && { testExamples }),
    };
  }
  const { name: _name, shuffle, ...options } = r.record(value, 'data');
  try {
    SYNTHETIC[name](options as never);
  } catch (error) {
    throw optionErrorAt(r.source, 'data', error);
  }
  return { name, shuffle: r.choice(shuffle, 'data.shuffle', SHUFFLES, 'global'), options };
}

function readModel(r: FieldReader, value: unknown, data: DataConfig): ModelConfig {
  const synthetic = data.name !== 'fashion-mnist';
  if (value === undefined) return synthetic ? { name: 'linear' } : { name: 'mlp', hidden: [256], activation: 'relu' };
  const name = r.choice(r.record(value, 'model').name, 'model.name', ['mlp', 'cnn', 'linear'] as const);
  if (synthetic !== (name === 'linear')) {
    r.fail('model.name', synthetic ? `data '${data.name}' trains its own linear model: use 'linear' or omit model` : `'linear' is the model of the synthetic data sets (least-squares, logistic-regression); use 'mlp' or 'cnn' for '${data.name}'`);
  }
  if (name === 'linear') {
    r.object(value, 'model', ['name']);
    return { name };
  }
  if (name === 'mlp') {
    const o = r.object(value, 'model', ['name', 'hidden', 'activation']);
    const hidden = r.array(o.hidden, 'model.hidden', [256]).map((h, i) => r.number(h, fieldPath('model.hidden', i), { min: 1, max: 65_536, integer: true }));
    return { name, hidden, activation: r.choice(o.activation, 'model.activation', ['relu', 'tanh', 'sigmoid', 'elu', 'selu'] as const, 'relu') };
  }
  const o = r.object(value, 'model', ['name', 'filters']);
  const filters = r.array(o.filters, 'model.filters', [32, 64]).map((f, i) => r.number(f, fieldPath('model.filters', i), { min: 1, max: 1024, integer: true }));
  if (filters.length < 1 || filters.length > 3) r.fail('model.filters', `must list 1 to 3 convolution widths, got ${filters.length}`);
  return { name, filters };
}

function readOptimizer(r: FieldReader, value: unknown): OptimizerConfig {
  const o = value === undefined ? { name: 'sgd' } : r.record(value, 'optimizer');
  const { name: rawName, lr, ...options } = o;
  const name = r.choice(rawName, 'optimizer.name', Object.keys(OPTIMIZERS) as OptimizerConfig['name'][]);
  const config = { name, lr: r.number(lr, 'optimizer.lr', { above: 0 }, 0.1), options };
  try {
    buildOptimizer(config);
  } catch (error) {
    throw optionErrorAt(r.source, 'optimizer', error);
  }
  return config;
}

function readSchedule(r: FieldReader, value: unknown, path: string): NamedOptions {
  const o = r.object(value, path, ['name', 'options']);
  const name = r.choice(o.name, fieldPath(path, 'name'), Object.keys(SCHEDULES));
  const entry = { name, options: o.options === undefined ? {} : r.record(o.options, fieldPath(path, 'options')) };
  try {
    buildSchedule(entry);
  } catch (error) {
    throw optionErrorAt(r.source, fieldPath(path, 'options'), error);
  }
  return entry;
}

function readCheckpoint(r: FieldReader, value: unknown): CheckpointConfig | undefined {
  if (value === undefined) return undefined;
  const o = r.object(value, 'checkpoint', ['path', 'everySteps', 'keep', 'resume']);
  const checkpoint = {
    path: r.string(o.path, 'checkpoint.path'),
    everySteps: r.number(o.everySteps, 'checkpoint.everySteps', { min: 1, integer: true }),
    keep: r.number(o.keep, 'checkpoint.keep', { min: 1, integer: true }, 2),
    resume: r.boolean(o.resume, 'checkpoint.resume', false),
  };
  try {
    checkpointSeries(checkpoint);
  } catch (error) {
    throw optionErrorAt(r.source, 'checkpoint', error);
  }
  return checkpoint;
}

function readPlugins(r: FieldReader, value: unknown): NamedOptions[] {
  const plugins = r.array(value, 'plugins', []).map((entry, i) => readPluginEntry(r, entry, `plugins[${i}]`));
  const specs = buildPluginSpecs(plugins, r.source);
  try {
    validateComposition(specs, defaultPlugins());
  } catch (error) {
    if (error instanceof CompositionError) throw new ConfigError(r.source, 'plugins', error.message);
    throw error;
  }
  return plugins;
}

/**
 * Validate a parsed config (`raw`, from {@link readConfigFile}) read from `source`.
 *
 * @example
 * ```ts
 * const config = validateConfig({ data: { name: 'fashion-mnist' }, plugins: ['localSgd'] }, 'run.json');
 * config.model; // { name: 'mlp', hidden: [256], activation: 'relu' }
 * ```
 */
export function validateConfig(raw: unknown, source: string): TrainConfig {
  const r: FieldReader = new FieldReader(source);
  const o: ConfigObject = r.object(raw, '', TOP_LEVEL);
  if (o.data === undefined) r.fail('data', "is required, e.g. { \"name\": \"fashion-mnist\" }");
  const data = readData(r, o.data);
  const metrics = o.metrics === undefined ? undefined : r.string(o.metrics, 'metrics');
  const trace = o.trace === undefined ? undefined : r.string(o.trace, 'trace');
  const checkpoint = readCheckpoint(r, o.checkpoint);
  const description = o.description === undefined ? undefined : r.string(o.description, 'description');
  return {
    source,
    ...(description !== undefined && { description }),
    seed: r.number(o.seed, 'seed', { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }, 0),
    ranks: r.number(o.ranks, 'ranks', { min: 1, max: 256, integer: true }, 1),
    transport: readTransport(r, o.transport),
    data,
    model: readModel(r, o.model, data),
    backend: r.choice(o.backend, 'backend', ['auto', 'tensorflow', 'wasm', 'cpu'] as const, 'auto') satisfies BackendChoice,
    optimizer: readOptimizer(r, o.optimizer),
    schedules: r.array(o.schedules, 'schedules', []).map((s, i) => readSchedule(r, s, `schedules[${i}]`)),
    batchSize: r.number(o.batchSize, 'batchSize', { min: 1, integer: true }, 32),
    epochs: r.number(o.epochs, 'epochs', { min: 1, integer: true }, 1),
    plugins: readPlugins(r, o.plugins),
    nonFinite: r.choice(o.nonFinite, 'nonFinite', ['stop', 'skip'] as const, 'stop'),
    evaluate: r.boolean(o.evaluate, 'evaluate', true),
    ...(metrics !== undefined && { metrics }),
    ...(trace !== undefined && { trace }),
    ...(checkpoint !== undefined && { checkpoint }),
  };
}
