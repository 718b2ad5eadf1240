import type { Command } from '../main.js';
import { parseCommandArgs } from '../main.js';
import { UsageError } from '../cli-error.js';
import { DEMO_CONFIG, DEMO_TARGET_ACCURACY } from '../demo/demo-config.js';
import { formatDuration, formatPercent } from '../report/format.js';
import { RUN_FLAGS, RUN_FLAGS_USAGE, configFlags } from './shared-flags.js';

function count(flag: string, text: unknown): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(String(text)) || value < 1) throw new UsageError(`demo: --${flag} must be a positive integer, got '${String(text)}'`);
  return value;
}

/** `syncopate demo`: the README's main command. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'train a composed run on Fashion-MNIST with 4 ranks and print the result',
  usage: [
    'usage: syncopate demo [--ranks N] [--transport local|simulated|mpi] [--epochs N] [--train-examples N] [--test-examples N]',
    '',
    `4 ranks (worker threads) train a 784-256-10 MLP on Fashion-MNIST with local SGD (period 4) and`,
    `SlowMo, on the wasm backend, then print the test accuracy, the traffic and the time. Exits with`,
    `status 1 if the test accuracy stays below --min-accuracy (default ${DEMO_TARGET_ACCURACY * 100} % on the full data set).`,
    '',
    '      --train-examples N   train on a random subset of N examples (a quick look)',
    '      --test-examples N    evaluate on the first N test examples',
    '      --min-accuracy PCT   required test accuracy in percent (default 80 on the full data, else 0)',
    ...RUN_FLAGS_USAGE,
  ].join('\n'),
  async run(argv) {
    const { values } = parseCommandArgs('demo', argv, {
      ...RUN_FLAGS,
      'train-examples': { type: 'string' },
      'test-examples': { type: 'string' },
      'min-accuracy': { type: 'string' },
    });
    const trainExamples = count('train-examples', values['train-examples']);
    const testExamples = count('test-examples', values['test-examples']);
    const set = [
      ...(trainExamples !== undefined ? [`data.trainExamples=${trainExamples}`] : []),
      ...(testExamples !== undefined ? [`data.testExamples=${testExamples}`] : []),
      ...((values.set as string[] | undefined) ?? []),
    ];
    // Loaded on use, so `syncopate --help` does not load tfjs.
    const [{ loadConfig }, { runTraining }] = await Promise.all([import('../config/load-config.js'), import('../run/run-training.js')]);
    const config = loadConfig(DEMO_CONFIG, 'demo', { ...configFlags('demo', values), set });
    const full = trainExamples === undefined && testExamples === undefined;
    const minAccuracyText = values['min-accuracy'] as string | undefined;
    const minAccuracy = minAccuracyText === undefined ? (full ? DEMO_TARGET_ACCURACY : 0) : Number(minAccuracyText) / 100;
    if (!(minAccuracy >= 0 && minAccuracy <= 1)) throw new UsageError(`demo: --min-accuracy must be a percentage in [0, 100], got '${minAccuracyText}'`);
    const title = `syncopate demo: ${config.ranks} ranks train a 784-256-10 MLP on Fashion-MNIST (${config.description})`;
    const { exitCode, outcome } = await runTraining(config, { argv: ['demo', ...argv], title });
    if (!outcome || exitCode !== 0) return exitCode;
    const accuracy = outcome.testAccuracy ?? NaN;
    const reached = accuracy >= minAccuracy;
    const target = minAccuracy > 0 ? ` (target ${formatPercent(minAccuracy, 0)}: ${reached ? 'reached' : 'NOT reached'})` : '';
    console.log(`demo: ${formatPercent(accuracy)} test accuracy in ${formatDuration(outcome.wallMs)}${target}`);
    return reached ? 0 : 1;
  },
};
