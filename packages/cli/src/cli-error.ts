import { SyncopateError } from '@syncopate/core';

/** A usage error of the command line: printed without a stack trace, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
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
