import { AbortedError, DeadlineError, TransportError, formatValue, type CallOptions } from '@syncopate/core';
import type { Deadlines } from './deadlines.js';

/** Why a call was interrupted before its work finished. */
export type Interruption = DeadlineError | AbortedError;

/**
 * The deadline and AbortSignal of one transport call.
 *
 * `watch(work, interrupt)` settles like `work`, unless the deadline passes or the signal fires
 * first: then `interrupt` decides. It returns the error to reject with, or `undefined` to keep
 * waiting for `work` (a receive whose message is already arriving finishes; it is not dropped).
 * MPI cannot cancel a started collective, so what `interrupt` does about the work that is still
 * running is up to the caller; the guard only stops waiting for it. Pass `deadlines` to share
 * one timer among many calls (see {@link Deadlines}).
 */
export class CallGuard {
  /** Milliseconds the call may take; `Infinity` for no deadline. */
  readonly timeoutMs: number;
  private stop: ((error: Error) => void) | undefined;
  private failure: Error | undefined;

  constructor(
    readonly operation: string,
    private readonly options: CallOptions | undefined,
    defaultTimeoutMs: number,
    private readonly deadlines?: Deadlines,
  ) {
    const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs;
    if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
      throw new TransportError(`${operation}: option 'timeoutMs' must be a number >= 0 (or Infinity), got ${formatValue(timeoutMs)}`);
    }
    this.timeoutMs = timeoutMs;
  }

  /** The error this call was interrupted with, once it was. */
  get interrupted(): Error | undefined {
    return this.failure;
  }

  /** Ends the call now with `error`, whatever its work is doing (used when the job fails). */
  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.stop?.(error);
  }

  watch<T>(work: Promise<T>, interrupt: (reason: Interruption) => Error | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cleanups: Array<() => void> = [];
      const finish = () => {
        for (const cleanup of cleanups.splice(0)) cleanup();
      };
      let settled = false;
      const settle = (error: Error | undefined, value?: T) => {
        if (settled) return;
        settled = true;
        finish();
        if (error) reject(error);
        else resolve(value as T);
      };
      this.stop = (error) => settle(error);
      const onInterrupt = (reason: Interruption) => {
        if (settled) return;
        const error = interrupt(reason);
        if (error) {
          this.failure = error;
          settle(error);
        }
      };
      work.then(
        (value) => settle(undefined, value),
        (error: unknown) => settle(error instanceof Error ? error : new TransportError(`${this.operation}: ${String(error)}`)),
      );
      if (this.failure) return settle(this.failure);
      const signal = this.options?.signal;
      if (signal) {
        if (signal.aborted) return onInterrupt(new AbortedError(this.operation, signal.reason));
        const onAbort = () => onInterrupt(new AbortedError(this.operation, signal.reason));
        signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => signal.removeEventListener('abort', onAbort));
      }
      if (Number.isFinite(this.timeoutMs)) {
        const expire = () => onInterrupt(new DeadlineError(this.operation, this.timeoutMs));
        if (this.deadlines) {
          cleanups.push(this.deadlines.add(performance.now() + this.timeoutMs, expire));
        } else {
          // setTimeout cannot wait longer than 2^31 − 1 ms; that is no deadline in practice.
          const timer = setTimeout(expire, Math.min(this.timeoutMs, 0x7fffffff));
          cleanups.push(() => clearTimeout(timer));
        }
      }
    });
  }
}
