import { OptionError, SyncopateError } from '@syncopate/core';

/** A usage error of the command line: printed without a stack trace, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A bad training config: names the file and the field path (`plugins[2].name`) and says what the
 * field must be. A usage error, so it exits with status 2 and no stack trace.
 *
 * @example
 * ```ts
 * throw new ConfigError('run.json', 'plugins[2].name', "unknown plugin 'topk'; known: topK, randomK");
 * // syncopate: run.json: plugins[2].name: unknown plugin 'topk'; known: topK, randomK
 * ```
 */
export class ConfigError extends UsageError {
  constructor(
    readonly source: string,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${source}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'ConfigError';
  }
}

/**
 * Re-throw an {@link OptionError} raised by a factory (a plugin, optimizer, schedule or data set)
 * as a {@link ConfigError} at `base`, the path of that factory's options in the config: the
 * option it names becomes part of the path, and the factory's name stays in the message.
 */
export function optionErrorAt(source: string, base: string, error: unknown): unknown {
  if (!(error instanceof OptionError)) return error;
  const prefix = `${error.owner}: option '${error.option}' `;
  const detail = error.message.startsWith(prefix) ? `${error.message.slice(prefix.length)} (${error.owner})` : error.message;
  const field = error.option === 'options' ? base : `${base}.${error.option}`;
  return new ConfigError(source, field, detail);
}

/**
 * How an error reaches the user: one line naming the cause (and the command's usage for usage
 * errors). Stack traces only with SYNCOPATE_DEBUG=1, for bugs rather than bad input.
 */
export function describeError(error: unknown, debug = process.env.SYNCOPATE_DEBUG === '1'): { message: string; exitCode: number } {
  if (error instanceof UsageError) return { message: `syncopate: ${error.message}`, exitCode: 2 };
  if (error instanceof SyncopateError) {
    return { message: `syncopate: ${error.message}${debug && error.stack ? `\n${error.stack}` : ''}`, exitCode: 1 };
  }
  const text = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error && debug ? `\n${error.stack}` : '';
  return { message: `syncopate: unexpected error: ${text}${stack}${debug ? '' : '\n(set SYNCOPATE_DEBUG=1 for a stack trace)'}`, exitCode: 1 };
}
