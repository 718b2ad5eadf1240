/** Something with a deadline: `expire()` is called once `at` (on `performance.now()`) has passed. */
export interface Expiring {
  readonly at: number;
  expire(): void;
}

/**
 * One timer for the deadlines of many calls.
 *
 * A training loop makes thousands of short calls a second, each with a deadline it almost never
 * reaches. A `setTimeout` and `clearTimeout` per call cost more than a small allreduce on
 * shared memory, so calls register here instead: one unref'd timer is armed for the earliest
 * deadline. Calls usually carry the same timeout, so each new deadline is later than the armed
 * one and registering is a `Set` insert; the timer, when it fires, expires what is due and
 * re-arms for what is left.
 */
export class Deadlines {
  private readonly pending = new Set<Expiring>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedAt = Infinity;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Expires `entry` at `entry.at` unless it is deleted first. */
  add(entry: Expiring): void {
    this.pending.add(entry);
    if (entry.at < this.armedAt) this.arm(entry.at);
  }

  delete(entry: Expiring): void {
    this.pending.delete(entry);
  }

  /** Deadlines still registered. */
  get size(): number {
    return this.pending.size;
  }

  /** Forgets every deadline and stops the timer. */
  clear(): void {
    this.pending.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = at;
    // setTimeout waits at most 2^31 − 1 ms; a later deadline re-arms when that fires.
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(0, at - this.now()), 0x7fffffff));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = this.now();
    let next = Infinity;
    for (const entry of [...this.pending]) {
      if (entry.at <= now) {
        this.pending.delete(entry);
        entry.expire();
      } else {
        next = Math.min(next, entry.at);
      }
    }
    if (next < Infinity && next < this.armedAt) this.arm(next);
  }
}
