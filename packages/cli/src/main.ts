import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error.js';

/** One sub-command of `syncopate`. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: string[]): Promise<number>;
}

const commands = new Map<string, () => Promise<Command>>([
  ['demo', async () => (await import('./commands/demo.js')).demoCommand],
  ['train', async () => (await import('./commands/train.js')).trainCommand],
  ['launch', async () => (await import('./commands/launch.js')).launchCommand],
  ['plot', async () => (await import('./commands/plot-command.js')).plotCommand],
  ['plugins', async () => (await import('./commands/plugins.js')).pluginsCommand],
  ['bench', async () => (await import('./commands/bench.js')).benchCommand],
]);

/** The top-level help text. */
export async function usage(): Promise<string> {
  const lines = ['usage: syncopate <command> [options]', '', 'commands:'];
  for (const load of commands.values()) {
    const c = await load();
    lines.push(`  ${c.name.padEnd(8)} ${c.summary}`);
  }
  lines.push('', "Run 'syncopate <command> --help' for a command's options.");
  return lines.join('\n');
}

/** Entry point: returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    console.log((await import('./version.js')).version);
    return 0;
  }
  const load = commands.get(name);
  if (!load) throw new UsageError(`unknown command '${name}'; commands: ${[...commands.keys()].join(', ')}`);
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  return command.run(rest);
}

/** Flag values and positional arguments of one command line. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: string[];
}

/** `parseArgs` that turns node's errors into a usage error naming the command. */
export function parseCommandArgs(command: string, argv: string[], options: ParseArgsConfig['options'], allowPositionals = false): ParsedArgs {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message.replace(/\. To specify.*$/s, '')}`);
  }
}
