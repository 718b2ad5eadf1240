/**
 * Fuzz the command line (issue #10): random and malformed configs through `validateConfig`,
 * random and truncated text through `parseConfigText`, and random argument lists through `main`.
 * Every case must end in a usable config, a `UsageError` (`ConfigError` is one) or a Syncopate
 * error — which `describeError` prints as one line without a stack trace — never a TypeError from
 * inside, never an "unexpected error", never a hang. Nothing here may start a training run:
 * every config handed to `train` is unreadable or invalid.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncopateError } from '@syncopate/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RandomValues } from '../reliability/fuzz/random-values.js';

type Cli = typeof import('../../packages/cli/src/index.ts');
let cli: Cli;
const SEED = 20261123;
const dir = mkdtempSync(join(tmpdir(), 'syncopate-fuzz-cli-'));
const home = process.cwd();

beforeAll(async () => {
  cli = await import('../../packages/cli/src/index.ts');
  process.chdir(dir); // anything a command writes by default lands here
}, 120_000);
afterAll(() => {
  process.chdir(home);
  rmSync(dir, { recursive: true, force: true });
});

/** Why `error` is not a clear, user-facing error; undefined when it is. */
function unclear(error: unknown): string | undefined {
  if (!(error instanceof cli.UsageError) && !(error instanceof SyncopateError)) {
    return `${(error as Error)?.name ?? typeof error}: ${(error as Error)?.message ?? String(error)}`;
  }
  const { message } = cli.describeError(error, false);
  if (message.includes('unexpected error') || /\n\s+at /.test(message)) return `prints "${message}"`;
  if (message.trim() === 'syncopate:') return 'has no message';
  return undefined;
}

const BASES: readonly Record<string, unknown>[] = [
  { data: { name: 'least-squares', samples: 64, features: 4 }, epochs: 1, ranks: 2 },
  {
    seed: 1,
    ranks: 4,
    transport: { kind: 'simulated', latencyMs: 0.05, bandwidthGbps: 1 },
    data: { name: 'fashion-mnist', shuffle: 'fixed', trainExamples: 100 },
    model: { name: 'mlp', hidden: [16] },
    optimizer: { name: 'nesterov', lr: 0.05, momentum: 0.8 },
    schedules: [{ name: 'linearWarmup', options: { steps: 10 } }],
    batchSize: 16,
    plugins: [{ name: 'localSgd', options: { period: 8 } }, { name: 'topK', options: { ratio: 0.01 } }, 'errorFeedback', { name: 'slowMo', options: { beta: 0.6 } }],
    checkpoint: { path: 'out/ckpt-{rank}.bin', everySteps: 100 },
  },
];

/** A copy of a base config with 1–3 random fields replaced, deleted or added. */
function mutate(values: RandomValues, pluginNames: readonly string[]): unknown {
  const config = structuredClone(values.pick(BASES)) as Record<string, unknown>;
  const paths = [
    'seed', 'ranks', 'transport', 'transport.kind', 'transport.latencyMs', 'data', 'data.name', 'data.samples', 'data.features', 'model', 'model.name', 'model.hidden',
    'backend', 'optimizer', 'optimizer.name', 'optimizer.lr', 'schedules', 'batchSize', 'epochs', 'plugins', 'nonFinite', 'evaluate', 'metrics', 'checkpoint', 'checkpoint.everySteps', 'typo',
  ];
  const hints = [...pluginNames, 'local', 'simulated', 'mpi', 'sgd', 'adam', 'mlp', 'cnn', 'linear', 'least-squares', 'stop', 'skip'];
  for (let n = 1 + values.rng.nextInt(3); n > 0; n--) {
    const path = values.pick(paths).split('.');
    let target = config as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
      if (!target[key] || typeof target[key] !== 'object') target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const last = path.at(-1)!;
    if (values.chance(0.15)) delete target[last];
    else if (last === 'plugins' && values.chance(0.6)) {
      target[last] = Array.from({ length: values.rng.nextInt(4) }, () =>
        values.chance(0.3) ? values.pick(pluginNames) : { name: values.chance(0.8) ? values.pick(pluginNames) : values.any(1, hints), options: values.options(['ratio', 'period', 'beta', 'alpha', 'staleness', 'backups', 'bucketBytes'], hints) },
      );
    } else target[last] = values.any(0, hints);
  }
  return values.chance(0.03) ? values.any(0, hints) : config;
}

describe('fuzzing the command line', () => {
  it('validateConfig refuses thousands of mutated configs with a ConfigError naming the field', () => {
    const pluginNames = [...cli.PLUGIN_CATALOG.keys()];
    let accepted = 0;
    const failures: string[] = [];
    const CASES = 3000;
    let slowest = 0;
    for (let i = 0; i < CASES; i++) {
      const values = new RandomValues(SEED, 'cli/validateConfig', i);
      const raw = mutate(values, pluginNames);
      const start = performance.now();
      try {
        cli.validateConfig(raw, 'fuzz.json');
        accepted++;
      } catch (error) {
        const problem = unclear(error);
        if (problem) failures.push(`case ${i}: ${problem}`);
        else if (!(error as Error).message.startsWith('fuzz.json') && error instanceof cli.ConfigError) failures.push(`case ${i}: message does not name the file: ${(error as Error).message}`);
      }
      slowest = Math.max(slowest, performance.now() - start);
    }
    console.log(`fuzz-cli: validateConfig ${CASES} cases, ${accepted} accepted, ${CASES - accepted} refused, slowest ${slowest.toFixed(1)} ms`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(accepted).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(2_000);
  }, 120_000);

  it('parseConfigText turns truncated, corrupted and random text into a ConfigError with line and column', () => {
    const valid = JSON.stringify(BASES[1], null, 2);
    const failures: string[] = [];
    const CASES = 2000;
    let refused = 0;
    for (let i = 0; i < CASES; i++) {
      const values = new RandomValues(SEED, 'cli/parseConfigText', i);
      const source = values.pick(['run.json', 'run.yaml', 'run.yml', 'run.conf']);
      let text: string;
      switch (values.rng.nextInt(4)) {
        case 0:
          text = valid.slice(0, values.rng.nextInt(valid.length));
          break;
        case 1: {
          const chars = [...valid];
          for (let n = 1 + values.rng.nextInt(4); n > 0; n--) chars[values.rng.nextInt(chars.length)] = values.pick(['{', '}', '[', ']', ':', ',', '"', '\n', '\t', '-', '&', '*', '!', '%', '\u0000', '\ufffd']);
          text = chars.join('');
          break;
        }
        case 2:
          text = String.fromCharCode(...Array.from({ length: values.rng.nextInt(200) }, () => values.rng.nextInt(0x3000)));
          break;
        default:
          text = Array.from({ length: values.rng.nextInt(12) }, () => values.pick(['a:', ' - b', '  c: [1, 2', '"x": {', '&anchor', '*alias', '---', '...', '? k', ': v', '|', '>', '!!binary x'])).join('\n');
      }
      try {
        cli.parseConfigText(text, source);
      } catch (error) {
        refused++;
        const problem = unclear(error);
        if (problem) failures.push(`case ${i} (${source}): ${problem}`);
      }
    }
    console.log(`fuzz-cli: parseConfigText ${CASES} cases, ${refused} refused`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(refused).toBeGreaterThan(CASES / 4);
  }, 60_000);

  it('main refuses random argument lists with a usage error, never a crash or a hang', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const missing = join(dir, 'missing.json');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "data": { "name": "least-squares", ');
    const invalid = join(dir, 'invalid.yaml');
    writeFileSync(invalid, 'data:\n  name: no-such-data\nplugins: [topk]\n');
    const metrics = join(dir, 'metrics.jsonl');
    writeFileSync(metrics, '{"type":"step","step":0,\nnot json\n');
    const tokens = ['--config', '-c', '--ranks', '-n', '--transport', '-t', '--epochs', '--metrics', '--backend', '--set', '--out', '--nope', '-q', '-np', '--dry-run', '=', '', '0', '-1', '1e9', 'NaN', 'mpi', 'local', 'epochs=2', 'data.name=', '--', missing, broken, invalid, metrics];
    const failures: string[] = [];
    const CASES = 400;
    let usage = 0;
    try {
      for (let i = 0; i < CASES; i++) {
        const values = new RandomValues(SEED, 'cli/main', i);
        const command = values.pick(['train', 'train', 'train', 'plot', 'plugins', 'nosuch', '', '-x']);
        const argv = [command, ...Array.from({ length: values.rng.nextInt(6) }, () => values.pick(tokens))];
        // A config that could load would start training: train always gets one that cannot.
        if (command === 'train' && !argv.some((a) => a === missing || a === broken || a === invalid)) argv.push('--config', values.pick([missing, broken, invalid]));
        let timer: ReturnType<typeof setTimeout> | undefined;
        const deadline = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), 10_000)));
        try {
          const outcome = await Promise.race([cli.main(argv), deadline]);
          if (outcome === 'hang') failures.push(`case ${i} ${JSON.stringify(argv)}: still running after 10 s`);
          else if (command === 'train') failures.push(`case ${i} ${JSON.stringify(argv)}: train exited ${outcome} without refusing`);
        } catch (error) {
          usage++;
          const problem = unclear(error);
          if (problem) failures.push(`case ${i} ${JSON.stringify(argv)}: ${problem}`);
        } finally {
          clearTimeout(timer);
        }
      }
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    console.log(`fuzz-cli: main ${CASES} argument lists, ${usage} refused with a usage or Syncopate error`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(usage).toBeGreaterThan(CASES / 2);
  }, 120_000);
});
