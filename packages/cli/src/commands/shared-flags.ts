/** Flags `train` and `demo` share, and how they become config overrides. */
import { UsageError } from '../cli-error.js';
import type { ConfigFlags } from '../config/load-config.js';

/** `parseArgs` option definitions of the shared flags. */
export const RUN_FLAGS = {
  ranks: { type: 'string', short: 'n' },
  transport: { type: 'string', short: 't' },
  epochs: { type: 'string' },
  metrics: { type: 'string', short: 'm' },
  trace: { type: 'string' },
  backend: { type: 'string' },
  set: { type: 'string', multiple: true },
} as const;

/** Usage lines of the shared flags. */
export const RUN_FLAGS_USAGE = [
  '  -n, --ranks N          number of ranks (overrides the config)',
  '  -t, --transport KIND   local (worker threads), simulated (modelled network, one thread) or mpi (mpirun)',
  '      --epochs N         epochs to train',
  '  -m, --metrics FILE     write rank 0\'s step and epoch events as JSON lines',
  '      --trace FILE       write all ranks\' timelines merged as Chrome-trace JSON (Perfetto); each rank\'s as <name>.rank-N.json',
  '      --backend NAME     tfjs backend: auto, wasm, cpu or tensorflow',
  '      --set PATH=VALUE   override any config field, e.g. --set plugins[0].options.period=8 (repeatable)',
];

function integer(command: string, flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) throw new UsageError(`${command}: --${flag} must be a positive integer, got '${text}'`);
  return value;
}

/** The shared flags' values as {@link ConfigFlags}. */
export function configFlags(command: string, values: { readonly [K in keyof typeof RUN_FLAGS]?: unknown }): ConfigFlags {
  const ranks = integer(command, 'ranks', values.ranks as string | undefined);
  const epochs = integer(command, 'epochs', values.epochs as string | undefined);
  return {
    ...(ranks !== undefined && { ranks }),
    ...(epochs !== undefined && { epochs }),
    ...(values.transport !== undefined && { transport: values.transport as string }),
    ...(values.metrics !== undefined && { metrics: values.metrics as string }),
    ...(values.trace !== undefined && { trace: values.trace as string }),
    ...(values.backend !== undefined && { backend: values.backend as string }),
    ...(values.set !== undefined && { set: values.set as string[] }),
  };
}
