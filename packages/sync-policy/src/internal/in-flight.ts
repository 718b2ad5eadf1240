/**
 * An exchange started now and awaited later (the non-blocking form). Knows whether it has
 * settled, which a policy needs to decide whether to start the next one and whether a snapshot
 * can be taken, and never leaves a rejection unhandled: the error surfaces when awaited.
 */
export class InFlight<T = unknown> {
  private settled: boolean;
  private readonly promise: Promise<T>;

  constructor(
    /** The step the exchange was started at. */
    readonly step: number,
    promise: Promise<T>,
    alreadySettled = false,
  ) {
    this.settled = alreadySettled;
    this.promise = promise.finally(() => {
      this.settled = true;
    });
    this.promise.catch(() => undefined);
  }

  /** An exchange that finished before a checkpoint and was restored from it. */
  static restored(step: number): InFlight<void> {
    return new InFlight(step, Promise.resolve(), true);
  }

  /** Whether the exchange has finished (successfully or not). */
  get done(): boolean {
    return this.settled;
  }

  wait(): Promise<T> {
    return this.promise;
  }
}
