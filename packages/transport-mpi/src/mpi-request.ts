/**
 * A non-blocking call in flight, in the manner of an `MPI_Request`: start a transfer, compute,
 * and `wait()` for it later; `test()` tells without waiting whether it has finished.
 *
 * @example
 * ```ts
 * const incoming = transport.irecv(left, 7);
 * const outgoing = transport.isend(right, 7, block);
 * computeSomethingElse();
 * const [received] = await Promise.all([incoming.wait(), outgoing.wait()]);
 * ```
 */
export class MpiRequest<T> {
  private finished = false;
  private readonly promise: Promise<T>;

  constructor(promise: Promise<T>) {
    this.promise = promise;
    // Marks completion either way; errors are reported by wait(), not here.
    promise.then(
      () => (this.finished = true),
      () => (this.finished = true),
    );
  }

  /** Whether the call has finished (successfully or not); never waits. */
  test(): boolean {
    return this.finished;
  }

  /** Resolves with the call's result, or rejects with its error. */
  wait(): Promise<T> {
    return this.promise;
  }
}
