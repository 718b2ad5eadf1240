import type { Command } from '../main.js';
import { parseCommandArgs } from '../main.js';
import { UsageError } from '../cli-error.js';
import { RUN_FLAGS, RUN_FLAGS_USAGE, configFlags } from './shared-flags.js';

/** `syncopate train`: a training run composed from a JSON or YAML config file. */
export const trainCommand: Command = {
  name: 'train',
  summary: 'train a composition described by a JSON or YAML config',
  usage: [
    'usage: syncopate train --config FILE [--ranks N] [--transport local|simulated|mpi] [--metrics FILE] [--set PATH=VALUE]...',
    '',
    'Trains on N ranks: worker threads of this process (local, the default), one thread on a',
    'modelled network with a virtual clock (simulated), or one process per rank under mpirun (mpi).',
    'Rank 0 shows a progress line per epoch and a summary table at the end.',
    '',
    '  -c, --config FILE      the run: data, model, optimizer, plugins… (see docs/cli.md)',
    ...RUN_FLAGS_USAGE,
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseCommandArgs('train', argv, { config: { type: 'string', short: 'c' }, ...RUN_FLAGS }, true);
    const file = (values.config as string | undefined) ?? positionals[0];
    if (!file) throw new UsageError('train: give a config file: syncopate train --config run.json');
    if (positionals.length > (values.config ? 0 : 1)) throw new UsageError(`train: unexpected argument '${positionals.at(-1)}'`);
    // Loaded on use, so `syncopate --help` does not load tfjs.
    const [{ loadConfig }, { readConfigFile }, { runTraining }] = await Promise.all([
      import('../config/load-config.js'),
      import('../config/read-config.js'),
      import('../run/run-training.js'),
    ]);
    const config = loadConfig(readConfigFile(file), file, configFlags('train', values));
    const title = `syncopate train: ${file}${config.description ? ` - ${config.description}` : ''}`;
    const { exitCode } = await runTraining(config, { argv: ['train', ...argv], title });
    return exitCode;
  },
};
