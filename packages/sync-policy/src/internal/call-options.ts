import type { CallOptions, StepContext } from '@syncopate/core';

/** The per-call controls of a step: its AbortSignal, when the run has one. */
export function callOptions(ctx: StepContext): CallOptions | undefined {
  return ctx.signal ? { signal: ctx.signal } : undefined;
}
