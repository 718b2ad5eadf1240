import { describe, expect, it } from 'vitest';
import { ConfigError, describeError } from '../cli-error.js';
import { validateConfig } from './validate-config.js';

const fashion = { name: 'fashion-mnist' };
const synthetic = { name: 'least-squares', samples: 64, features: 4 };

/** The one line a user sees for `raw`. */
function errorOf(raw: unknown): string {
  try {
    validateConfig(raw, 'run.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const { message, exitCode } = describeError(error);
    expect(exitCode).toBe(2);
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected the config to be refused');
}

describe('validateConfig', () => {
  it('fills in every default from a minimal config', () => {
    const config = validateConfig({ data: fashion }, 'run.json');
    expect(config).toEqual({
      source: 'run.json',
      seed: 0,
      ranks: 1,
      transport: { kind: 'local' },
      data: { name: 'fashion-mnist', shuffle: 'global' },
      model: { name: 'mlp', hidden: [256], activation: 'relu' },
      backend: 'auto',
      optimizer: { name: 'sgd', lr: 0.1, options: {} },
      schedules: [],
      batchSize: 32,
      epochs: 1,
      plugins: [],
      nonFinite: 'stop',
      evaluate: true,
    });
  });

  it('reads the issue example: transport object, plugins as names or { name, options }, schedules, checkpoint', () => {
    const config = validateConfig(
      {
        seed: 1,
        ranks: 4,
        transport: { kind: 'simulated', latencyMs: 0.05, bandwidthGbps: 1 },
        data: { name: 'fashion-mnist', shuffle: 'fixed', trainExamples: 1000 },
        model: { name: 'cnn' },
        optimizer: { name: 'nesterov', lr: 0.05, momentum: 0.8 },
        schedules: [{ name: 'linearWarmup', options: { steps: 10 } }],
        batchSize: 64,
        epochs: 2,
        plugins: [{ name: 'localSgd', options: { period: 8 } }, { name: 'topK', options: { ratio: 0.01 } }, 'errorFeedback', { name: 'slowMo', options: { beta: 0.6 } }],
        metrics: 'out/metrics.jsonl',
        checkpoint: { path: 'out/ckpt-{rank}.bin', everySteps: 100 },
      },
      'run.json',
    );
    expect(config.transport).toEqual({ kind: 'simulated', latencyMs: 0.05, bandwidthGbps: 1, computeMs: 'measured' });
    expect(config.model).toEqual({ name: 'cnn', filters: [32, 64] });
    expect(config.optimizer).toEqual({ name: 'nesterov', lr: 0.05, options: { momentum: 0.8 } });
    expect(config.plugins.map((p) => p.name)).toEqual(['localSgd', 'topK', 'errorFeedback', 'slowMo']);
    expect(config.plugins[2]).toEqual({ name: 'errorFeedback', options: {} });
    expect(config.checkpoint).toEqual({ path: 'out/ckpt-{rank}.bin', everySteps: 100, keep: 2, resume: false });
  });

  it('names the field and the closest known one for an unknown key, at any depth', () => {
    expect(errorOf({ data: fashion, epoch: 2 })).toBe(
      "syncopate: run.json: epoch: unknown field (did you mean 'epochs'?); known fields: description, seed, ranks, transport, data, model, backend, optimizer, schedules, batchSize, epochs, plugins, nonFinite, evaluate, metrics, trace, checkpoint",
    );
    expect(errorOf({ data: { ...fashion, shufle: 'fixed' } })).toMatch(/^syncopate: run\.json: data\.shufle: unknown field \(did you mean 'shuffle'\?\)/);
    expect(errorOf({ data: fashion, checkpoint: { path: 'x', everySteps: 5, resum: true } })).toMatch(/checkpoint\.resum: unknown field \(did you mean 'resume'\?\)/);
  });

  it('lists the known plugins for an unknown plugin name, with the likely one first', () => {
    const message = errorOf({ data: fashion, plugins: ['localSgd', 'errorFeedback', { name: 'topk', options: { ratio: 0.01 } }] });
    expect(message).toMatch(/^syncopate: run\.json: plugins\[2\]\.name: unknown plugin 'topk' \(did you mean 'topK'\?\); known: topology: complete, ring, /);
    for (const name of ['randomK', 'localSgd', 'slowMo', 'fusion', 'ringAllreduce', 'errorFeedback']) expect(message).toContain(name);
  });

  it("reports a plugin's own option errors at the option's field path", () => {
    expect(errorOf({ data: fashion, plugins: [{ name: 'topK', options: { ratio: 2 } }] })).toMatch(
      /^syncopate: run\.json: plugins\[0\]\.options\.ratio: must be .*<= 1, got 2 \(topK\)$/,
    );
    expect(errorOf({ data: fashion, plugins: [{ name: 'localSgd', options: { perod: 8 } }] })).toMatch(
      /plugins\[0\]\.options\.perod: is not an option of localSgd \(did you mean 'period'\?\)/,
    );
    expect(errorOf({ data: fashion, plugins: [{ name: 'localSgd', options: 8 }] })).toMatch(/plugins\[0\]\.options: must be an object, got 8$/);
  });

  it('refuses a composition the trainer would refuse, naming both plugins', () => {
    const message = errorOf({ data: fashion, plugins: ['bsp', { name: 'localSgd' }] });
    expect(message).toMatch(/^syncopate: run\.json: plugins: two sync-policy plugins, 'bsp' and 'localSgd'/);
  });

  it('checks the nested plugin specs of perBucket by their own paths', () => {
    const ok = validateConfig(
      { data: fashion, plugins: [{ name: 'perBucket', options: { rules: [{ maxLength: 1024, use: 'identity' }], otherwise: { name: 'topK', options: { ratio: 0.05 } } } }] },
      'run.json',
    );
    expect(ok.plugins[0]!.name).toBe('perBucket');
    expect(errorOf({ data: fashion, plugins: [{ name: 'perBucket', options: { otherwise: { name: 'topK', options: { ratio: -1 } } } }] })).toMatch(
      /plugins\[0\]\.options\.otherwise\.options\.ratio: must be/,
    );
    expect(errorOf({ data: fashion, plugins: [{ name: 'perBucket', options: { rules: [{ use: 'topkk' }], otherwise: 'identity' } }] })).toMatch(
      /plugins\[0\]\.options\.rules\[0\]\.use\.name: unknown plugin 'topkk' \(did you mean 'topK'\?\)/,
    );
  });

  it('checks numbers, choices and the data/model pairing with messages naming the field', () => {
    expect(errorOf({ data: fashion, ranks: 0 })).toBe('syncopate: run.json: ranks: must be an integer >= 1 <= 256, got 0');
    expect(errorOf({ data: fashion, batchSize: 1.5 })).toMatch(/batchSize: must be an integer >= 1, got 1\.5$/);
    expect(errorOf({ data: { name: 'fashion_mnist' } })).toMatch(/data\.name: must be one of 'fashion-mnist', 'least-squares', 'logistic-regression', got "fashion_mnist" \(did you mean 'fashion-mnist'\?\)$/);
    expect(errorOf({})).toMatch(/data: is required/);
    expect(errorOf({ data: fashion, model: { name: 'linear' } })).toMatch(/model\.name: 'linear' is the model of the synthetic data sets/);
    expect(errorOf({ data: synthetic, model: { name: 'mlp' } })).toMatch(/model\.name: data 'least-squares' trains its own linear model/);
    expect(errorOf({ data: fashion, model: { name: 'mlp', hidden: [256, 0] } })).toMatch(/model\.hidden\[1\]: must be an integer >= 1/);
    expect(errorOf({ data: fashion, transport: 'tcp' })).toMatch(/transport: must be one of 'local', 'mpi', 'simulated', got "tcp"$/);
    expect(errorOf({ data: fashion, transport: { kind: 'simulated', latencyMs: -1 } })).toMatch(/transport\.latencyMs: must be a number >= 0, got -1$/);
  });

  it("reports the factories' errors for data, optimizer and schedules at their paths", () => {
    expect(errorOf({ data: { name: 'least-squares', samples: 3, features: 4 } })).toMatch(/^syncopate: run\.json: data\.samples: must be an integer >= 6 .*\(leastSquares\)$/);
    expect(errorOf({ data: { name: 'least-squares', samples: 64, features: 4, nosie: 1 } })).toMatch(/data\.nosie: is not an option of leastSquares \(did you mean 'noise'\?\)/);
    expect(errorOf({ data: fashion, optimizer: { name: 'momentum', momentum: 1.5 } })).toMatch(/optimizer\.momentum: must be .*\(momentumSgd\)$/);
    expect(errorOf({ data: fashion, optimizer: { name: 'rmsprop' } })).toMatch(/optimizer\.name: must be one of 'sgd', 'momentum', 'nesterov', 'adam'/);
    expect(errorOf({ data: fashion, optimizer: { name: 'sgd', lr: 0 } })).toMatch(/optimizer\.lr: must be a number > 0, got 0$/);
    expect(errorOf({ data: fashion, schedules: [{ name: 'stepDecay', options: { boundaries: [3, 2] } }] })).toMatch(/schedules\[0\]\.options\.boundaries: must be strictly increasing/);
  });
});
