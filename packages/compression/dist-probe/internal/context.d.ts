import type { CompressContext } from '@syncopate/core';
/** `"<name> <operation> (<key>)"`, the `where` of error messages. */
export declare function where(name: string, operation: string, ctx: CompressContext): string;
//# sourceMappingURL=context.d.ts.map