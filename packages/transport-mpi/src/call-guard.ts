import { AbortedError, DeadlineError, TransportError, formatValue, type CallOptions } from '@syncopate/core';
import type { Deadlines } from './deadlines.js';

/** Why a call was interrupted before its work finished. */
export type Interruption = DeadlineError | AbortedError;

/**
 * Decides what an interruption means for a call: the error to reject with, or `undefined` to
 * keep waiting for its work (a receive whose message is already arriving finishes; it is not
 * dropped).
 */
export type InterruptHandler = (reason: Interruption, guard: CallGuard) => Error | undefined;

/**
 * The deadline and AbortSignal of one transport call.
 *
 * `watch(work, interrupt)` settles like `work`, unless the deadline passes or the signal fires
 * first; then `interrupt` decides. MPI cannot cancel a started collective, so what `interrupt`
 * does about work that is still running is up to the caller; the guard only stops waiting for
 * it. One guard is one object per call (no timer of its own when given {@link Deadlines}),
 * because a training loop makes thousands of calls a second.
 */
export class CallGuard {
  /** Milliseconds the call may take; `Infinity` for no deadline. */
  readonly timeoutMs: number;
  /** When the deadline passes, on `performance.now()`; `Infinity` for none. */
  at = Infinity;
  /** Runs once when the call settles, however it settles. */
  onSettle: (() => void) | undefined;
  private failure: Error | undefined;
  private settled = false;
  private resolveCall: ((value: unknown) => void) | undefined;
  private rejectCall: ((error: Error) => void) | undefined;
  private interruptCall: InterruptHandler | undefined;
  private abortListener: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

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

  /** The error this call was interrupted or failed with, once it was. */
  get interrupted(): Error | undefined {
    return this.failure;
  }

  watch<T>(work: Promise<T>, interrupt: InterruptHandler): Promise<T> {
    const promise = new Promise<T>((resolve, reject) => {
      this.resolveCall = resolve as (value: unknown) => void;
      this.rejectCall = reject;
    });
    this.interruptCall = interrupt;
    work.then(
      (value) => this.settle(undefined, value),
      (error: unknown) => this.settle(error instanceof Error ? error : new TransportError(`${this.operation}: ${String(error)}`)),
    );
    if (this.failure) {
      this.settle(this.failure);
      return promise;
    }
    const signal = this.options?.signal;
    if (signal) {
      if (signal.aborted) {
        this.interrupt(new AbortedError(this.operation, signal.reason));
        return promise;
      }
      this.abortListener = () => this.interrupt(new AbortedError(this.operation, signal.reason));
      signal.addEventListener('abort', this.abortListener, { once: true });
    }
    if (Number.isFinite(this.timeoutMs)) {
      this.at = performance.now() + this.timeoutMs;
      if (this.deadlines) this.deadlines.add(this);
      // setTimeout cannot wait longer than 2^31 − 1 ms; that is no deadline in practice.
      else this.timer = setTimeout(() => this.expire(), Math.min(this.timeoutMs, 0x7fffffff));
    }
    return promise;
  }

  /** The deadline has passed (called by {@link Deadlines}). */
  expire(): void {
    this.interrupt(new DeadlineError(this.operation, this.timeoutMs));
  }

  /** Ends the call now with `error`, whatever its work is doing (used when the job fails). */
  fail(error: Error): void {
    if (this.failure || this.settled) return;
    this.failure = error;
    if (this.rejectCall) this.settle(error);
  }

  private interrupt(reason: Interruption): void {
    if (this.settled) return;
    const error = this.interruptCall!(reason, this);
    if (!error) return;
    this.failure = error;
    this.settle(error);
  }

  private settle(error: Error | undefined, value?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.deadlines?.delete(this);
    if (this.timer) clearTimeout(this.timer);
    if (this.abortListener) this.options?.signal?.removeEventListener('abort', this.abortListener);
    this.onSettle?.();
    if (error) this.rejectCall!(error);
    else this.resolveCall!(value);
  }
}
