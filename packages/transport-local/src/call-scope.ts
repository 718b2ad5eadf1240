import { AbortedError, DeadlineError, TransportError, type CallOptions, type Clock } from '@syncopate/core';

/** Schedules a callback after `ms` on some clock (real timers, or the simulator's virtual time). */
export interface Timers {
  /** Runs `fire` after `ms` milliseconds; the returned function cancels it. */
  schedule(ms: number, fire: () => void): () => void;
}

/** Real-time timers on the event loop. */
export const realTimers: Timers = Object.freeze({
  schedule(ms: number, fire: () => void): () => void {
    // setTimeout cannot wait longer than 2^31 - 1 ms; a longer deadline is no deadline in practice.
    const handle = setTimeout(fire, Math.min(ms, 0x7fffffff));
    return () => clearTimeout(handle);
  },
});

/**
 * The life of one transport call: its deadline and its AbortSignal.
 *
 * A call (a `recv`, or a whole collective) makes one scope. The pieces of work the call waits on
 * register a cancel callback; when the deadline passes or the signal fires, every registered
 * callback runs once with a {@link DeadlineError} or {@link AbortedError}, and later waits fail
 * at once. `detail` says what the call is waiting for, so a deadline names the missing rank.
 */
export class CallScope {
  /** Absolute deadline on `clock`, or `Infinity`. */
  readonly deadline: number;
  /** What the call waits for right now, e.g. `a message from rank 2`; quoted by deadline errors. */
  detail = '';
  private cancelled: Error | undefined;
  private readonly callbacks = new Set<(error: Error) => void>();
  private readonly cleanups: Array<() => void> = [];

  constructor(
    readonly operation: string,
    options: CallOptions | undefined,
    defaultTimeoutMs: number,
    timers: Timers,
    clock: Clock,
  ) {
    const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs;
    if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
      throw new TransportError(`${operation}: option 'timeoutMs' must be a number >= 0 (or Infinity), got ${String(timeoutMs)}`);
    }
    const signal = options?.signal;
    this.deadline = Number.isFinite(timeoutMs) ? clock.now() + timeoutMs : Infinity;
    if (signal?.aborted) {
      this.cancelled = new AbortedError(operation, signal.reason);
      return;
    }
    if (signal) {
      const onAbort = () => this.cancel(new AbortedError(operation, signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
      this.cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
    if (Number.isFinite(timeoutMs)) {
      const stop = timers.schedule(timeoutMs, () => this.cancel(new DeadlineError(operation, timeoutMs, this.detail)));
      this.cleanups.push(stop);
    }
  }

  /** The error the call was cancelled with, if it was. */
  get error(): Error | undefined {
    return this.cancelled;
  }

  /** Throws the cancellation error, if any. */
  throwIfCancelled(): void {
    if (this.cancelled) throw this.cancelled;
  }

  /**
   * Registers `callback` to run if the call is cancelled while the caller waits; returns the
   * function that unregisters it. Callers check {@link error} first.
   */
  onCancel(callback: (error: Error) => void): () => void {
    this.callbacks.add(callback);
    return () => this.callbacks.delete(callback);
  }

  /** Cancels the call with `error` (the first cancellation wins). */
  cancel(error: Error): void {
    if (this.cancelled) return;
    this.cancelled = error;
    const callbacks = [...this.callbacks];
    this.callbacks.clear();
    this.end();
    for (const callback of callbacks) callback(error);
  }

  /** Releases the timer and the signal listener; call when the call has finished. */
  end(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  /** Runs `work` in this scope and always releases the scope afterwards. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      this.throwIfCancelled();
      return await work();
    } finally {
      this.end();
    }
  }
}
