import type { CompressContext } from '@syncopate/core';

/** `"<name> <operation> (<key>)"`, the `where` of error messages. */
export function where(name: string, operation: string, ctx: CompressContext): string {
  return `${name} ${operation} (${ctx.key})`;
}
