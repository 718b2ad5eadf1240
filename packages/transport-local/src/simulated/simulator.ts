import type { Clock } from '@syncopate/core';
import { DeadlockError } from '../errors.js';
import { EventQueue, type ScheduledEvent } from './event-queue.js';

/** Something a rank waits for in virtual time. */
export interface Wait {
  readonly rank: number;
  /** What the rank waits in, for a deadlock report. */
  describe(): string;
  /** Ends the wait with `error` (used when the network deadlocks). */
  fail(error: Error): void;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Discrete-event driver of a simulated network: one virtual clock, one queue of events (message
 * arrivals, send completions, modelled compute, deadlines), and the set of waits of every rank.
 *
 * Why this ordering: all ranks run in one thread, and a rank only runs when an event at the
 * current virtual time has woken it. The driver fires every event of the earliest time, then
 * lets JavaScript settle (one `setImmediate`, so every promise continuation has run and every
 * woken rank has either issued its next call or finished), and only then moves the clock on.
 * Each call is issued at the virtual time of the event that woke its rank, so results and times
 * do not depend on real timing.
 *
 * In a `run`, a rank that is neither waiting nor finished is busy outside the network (real
 * asynchronous work); the clock then waits for it. When every running rank waits and no event is
 * left, nothing can ever happen again: the driver fails every wait with a {@link DeadlockError}.
 */
export class Simulator {
  readonly clock: Clock;
  private time = 0;
  private readonly events = new EventQueue();
  private readonly waits = new Set<Wait>();
  private readonly waitCount: Int32Array;
  private readonly finished: boolean[];
  private driving = false;
  /** Set by `run`: ranks that neither wait nor finished hold the clock. */
  holdClockForBusyRanks = false;
  /** The first deadlock found, if any. */
  deadlock: DeadlockError | undefined;

  constructor(readonly size: number) {
    this.waitCount = new Int32Array(size);
    this.finished = new Array<boolean>(size).fill(false);
    this.clock = Object.freeze({ now: () => this.time });
  }

  get now(): number {
    return this.time;
  }

  /** Fires `fire` at virtual time `now + delayMs`. */
  after(delayMs: number, fire: () => void): ScheduledEvent {
    return this.at(this.time + delayMs, fire);
  }

  /** Fires `fire` at virtual time `time` (not before now). */
  at(time: number, fire: () => void): ScheduledEvent {
    const event = this.events.add(Math.max(time, this.time), fire);
    this.kick();
    return event;
  }

  /** Registers a wait; the returned function ends it. */
  begin(wait: Wait): () => void {
    this.waits.add(wait);
    this.waitCount[wait.rank]!++;
    this.kick();
    return () => {
      if (this.waits.delete(wait)) this.waitCount[wait.rank]!--;
    };
  }

  /** The rank finished (or failed, or was disposed): it will issue no more calls. */
  finish(rank: number): void {
    this.finished[rank] = true;
    this.kick();
  }

  /** Starts the driver if it is not running. */
  kick(): void {
    if (this.driving) return;
    this.driving = true;
    void this.drive();
  }

  /** Runs until nothing can move; `driving` is cleared synchronously with the decision to stop. */
  private async drive(): Promise<void> {
    for (;;) {
      await settle();
      const next = this.events.peekTime();
      if (next === undefined) {
        if (this.waits.size > 0 && this.everyRunningRankWaits()) {
          this.failDeadlock();
          continue;
        }
        this.driving = false;
        return;
      }
      if (this.holdClockForBusyRanks && !this.everyRunningRankWaits()) {
        this.driving = false;
        return;
      }
      this.time = next;
      this.events.fireAt(next);
    }
  }

  private everyRunningRankWaits(): boolean {
    for (let rank = 0; rank < this.size; rank++) {
      if (!this.finished[rank] && this.waitCount[rank] === 0) return false;
    }
    return true;
  }

  private failDeadlock(): void {
    const byRank = new Map<number, string[]>();
    const waits = [...this.waits].sort((a, b) => a.rank - b.rank);
    for (const wait of waits) {
      const list = byRank.get(wait.rank) ?? [];
      list.push(wait.describe());
      byRank.set(wait.rank, list);
    }
    const error = new DeadlockError(this.time, byRank);
    this.deadlock ??= error;
    for (const wait of waits) wait.fail(error);
  }
}
