import { TransportError } from '@syncopate/core';

/**
 * Every rank of a simulated network waits on the network and nothing is in flight: no message,
 * no modelled compute, no deadline. Names each blocked rank and what it waits for.
 */
export class DeadlockError extends TransportError {
  constructor(
    /** Virtual time at which the deadlock was found, in ms. */
    readonly timeMs: number,
    /** What each blocked rank waits for. */
    readonly waits: ReadonlyMap<number, readonly string[]>,
  ) {
    const parts = [...waits].map(([rank, what]) => `rank ${rank} waits in ${what.join(' and ')}`);
    super(`simulated network deadlock at t = ${timeMs} ms: every running rank is blocked and nothing is in flight; ${parts.join('; ')}`, [
      ...waits.keys(),
    ]);
  }
}
