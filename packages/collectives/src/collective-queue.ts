import { AbortedError, TransportError } from '@syncopate/core';

/**
 * Runs collectives one at a time, in call order (RxJS `concatMap` semantics).
 *
 * Why: every rank must issue the same collectives in the same order, and a transport may match
 * messages of two overlapping collectives to each other. Open MPI does exactly that: with two
 * allreduces in flight on one communicator it silently returned wrong sums in 180 of 200 trials
 * on our machines (see the environment notes). So a call is queued and starts when the previous
 * one has finished; the Promise it returns is the non-blocking handle.
 *
 * A failed call (error, deadline or abort) poisons the queue: this rank has left the common
 * sequence, so every later call rejects at once with a `TransportError` that carries the first
 * failure as its cause, instead of waiting for peers that will never answer.
 */
export class CollectiveQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private failure: { readonly operation: string; readonly error: unknown } | undefined;

  constructor(private readonly owner: string) {}

  /** Whether an earlier call failed (all later calls reject). */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Queue `operation`; it starts when every earlier call has settled. */
  run<T>(operation: string, signal: AbortSignal | undefined, body: () => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      if (this.failure) {
        throw new TransportError(`${this.owner}: ${operation} not started because an earlier ${this.failure.operation} failed`, [], {
          cause: this.failure.error,
        });
      }
      try {
        if (signal?.aborted) throw new AbortedError(`${this.owner}.${operation}`, signal.reason);
        return await body();
      } catch (error) {
        this.failure ??= { operation, error };
        throw error;
      }
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
