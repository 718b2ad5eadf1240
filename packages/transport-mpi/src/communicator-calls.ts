import { DeadlineError, TransportError, type CallOptions } from '@syncopate/core';
import type { CommHandle } from './binding.js';
import { CallGuard, type InterruptHandler, type Interruption } from './call-guard.js';
import { CollectiveQueue } from './collective-queue.js';
import type { MpiSession } from './mpi-session.js';
import { fromNative } from './native-error.js';
import { Traffic } from './traffic.js';
import { checkRank, checkTag, checkView } from './validate.js';

/** What the lean path answers a call that already finished. */
const SETTLED: Promise<void> = Promise.resolve();

/** Whether `options` leave a call nothing to watch until it returns: no aborted signal, a valid deadline. */
function leanOptions(options: CallOptions | undefined): boolean {
  if (options === undefined) return true;
  const { signal, timeoutMs } = options;
  return (signal === undefined || !signal.aborted) && (timeoutMs === undefined || (typeof timeoutMs === 'number' && timeoutMs >= 0));
}

/**
 * How calls run on one MPI communicator: under a deadline and an AbortSignal ({@link CallGuard}),
 * collectives one at a time in call order ({@link CollectiveQueue}), native errors turned into
 * typed ones, traffic counted, and the life cycle (dispose, finalize or abort). `MpiTransport`
 * builds the Transport API on it.
 */
export abstract class CommunicatorCalls {
  readonly rank: number;
  readonly size: number;
  /** World rank of each member, by rank in this communicator. */
  readonly worldRanks: readonly number[];
  protected readonly traffic = new Traffic();
  protected readonly children = new Set<CommunicatorCalls>();
  private readonly queue: CollectiveQueue;
  private readonly guards = new Set<CallGuard>();
  private readonly receives = new Map<CallGuard, number>();
  private readonly natives = new Set<Promise<unknown>>();
  private seq = 0;
  private disposal: Promise<void> | undefined;

  protected constructor(
    protected readonly session: MpiSession,
    protected readonly comm: CommHandle,
    worldRanks: readonly number[],
    private readonly parent: CommunicatorCalls | undefined,
  ) {
    this.worldRanks = Object.freeze([...worldRanks]);
    this.queue = new CollectiveQueue(session.settings.collectiveDepth);
    this.rank = session.binding.commRank(comm);
    this.size = session.binding.commSize(comm);
  }

  // ---- life cycle ---------------------------------------------------------------------------

  /**
   * Releases the transport. Idempotent. Calls still pending reject; receives are withdrawn.
   * A split transport frees its communicator. The world transport disposes the transports
   * split from it, waits (up to `timeoutMs`) for calls still inside MPI, then calls
   * `MPI_Finalize` — or, when a call is stuck inside MPI (the transport failed), ends the job
   * with `MPI_Abort` after printing the cause, since MPI cannot finalize around it.
   */
  dispose(): Promise<void> {
    this.disposal ??= this.shutdown();
    return this.disposal;
  }

  /**
   * Ends every process of the job now (`MPI_Abort`), after printing `reason` to stderr with
   * this rank's number. Use when a rank cannot go on and the others must not wait for it.
   */
  abort(reason: string): void {
    const worldRank = this.worldRanks[this.rank];
    process.stderr.write(`[syncopate] rank ${worldRank}: ${reason}; ending the MPI job (MPI_Abort)\n`);
    this.session.binding.abort(1);
  }

  private async shutdown(): Promise<void> {
    for (const child of [...this.children]) await child.dispose();
    this.parent?.children.delete(this);
    const closed = new TransportError(`the MPI transport on rank ${this.rank} was disposed`, [this.rank]);
    for (const guard of [...this.guards]) {
      const id = this.receives.get(guard);
      if (id !== undefined) this.session.binding.cancel(id);
      guard.fail(new TransportError(`${guard.operation}: the transport was disposed`, [this.rank], { cause: closed }));
    }
    // A failed session has a call stuck inside MPI: waiting for it would only delay the abort.
    const settled = this.session.failed ? false : await this.settle(this.session.settings.timeoutMs);
    const binding = this.session.binding;
    const isWorld = this.parent === undefined;
    const stuck = this.session.failed ?? (settled ? undefined : new TransportError(`${this.natives.size} call(s) did not finish in time`));
    if (isWorld) {
      this.session.watch.stop();
      this.session.deadlines.clear();
      if (stuck || binding.inFlight() > 0) {
        const cause = stuck?.message ?? `${binding.inFlight()} call(s) are still inside MPI`;
        this.abort(`cannot finalize MPI: ${cause}`);
        throw new TransportError(`dispose on rank ${this.rank}: MPI was aborted because ${cause}`, [this.rank], { cause: stuck });
      }
      try {
        binding.finalize();
      } catch (error) {
        throw fromNative(error, `dispose on rank ${this.rank}`, this.worldRanks);
      }
    } else if (!stuck) {
      await this.native(`dispose on rank ${this.rank}`, binding.commFree(this.comm));
    }
  }

  /** Waits up to `ms` for this transport's native calls (all calls, for the world). */
  private async settle(ms: number): Promise<boolean> {
    const pending = this.parent === undefined ? this.allNatives() : [...this.natives];
    if (pending.length === 0) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.min(ms, 0x7fffffff))));
    const done = Promise.allSettled(pending).then(() => true);
    const result = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return result;
  }

  private allNatives(): Promise<unknown>[] {
    return [...this.natives, ...[...this.children].flatMap((c) => c.allNatives())];
  }

  // ---- plumbing -----------------------------------------------------------------------------

  protected refusal(operation: string): Error | undefined {
    if (this.disposal) return new TransportError(`${operation}: the transport was disposed`, [this.rank]);
    return this.session.refusal(operation);
  }

  /** Runs `work` under a deadline and AbortSignal; `interrupt` decides what an interruption means. */
  protected guarded<T>(
    operation: string,
    options: CallOptions | undefined,
    work: (guard: CallGuard) => Promise<T>,
    interrupt: InterruptHandler,
  ): Promise<T> {
    const refused = this.refusal(operation);
    if (refused) return Promise.reject(refused);
    let guard: CallGuard;
    let started: Promise<T>;
    try {
      guard = new CallGuard(operation, options, this.session.settings.timeoutMs, this.session.deadlines);
      started = work(guard);
    } catch (error) {
      return Promise.reject(error);
    }
    this.session.track(guard);
    this.guards.add(guard);
    guard.onSettle = () => {
      this.session.untrack(guard);
      this.guards.delete(guard);
      this.receives.delete(guard);
    };
    return guard.watch(started, interrupt);
  }

  protected receive(operation: string, source: number, tag: number, into: ArrayBufferView | null, options?: CallOptions): Promise<Uint8Array | undefined> {
    return this.guarded(
      operation,
      options,
      (guard) => {
        checkRank(operation, 'source', source, this.size);
        checkTag(operation, tag);
        if (into !== null) checkView(operation, 'into', into);
        const id = this.session.nextId();
        this.receives.set(guard, id);
        return this.native(operation, this.session.binding.recv(this.comm, source, tag, into, id), (message) =>
          this.traffic.message(0, message?.byteLength ?? into?.byteLength ?? 0),
        );
      },
      (reason, guard) => {
        // A message that has begun to arrive is received, not dropped: keep waiting for it.
        const id = this.receives.get(guard);
        if (id === undefined || !this.session.binding.cancel(id)) return undefined;
        return this.peerError(reason, operation, [source], 'no message had arrived; the receive was withdrawn');
      },
    );
  }

  protected collective<T>(describe: string, options: CallOptions | undefined, start: (operation: string, check: boolean) => Promise<T>): Promise<T> {
    const operation = `${describe} #${++this.seq} on rank ${this.rank}`;
    const check = this.session.settings.checkCollectives;
    return this.guarded(
      operation,
      options,
      () =>
        this.queue.run(() => {
          // A call not yet handed to the addon when the transport fails never reaches MPI; one
          // already handed over (see collectiveDepth) runs there in its turn.
          const refused = this.refusal(operation);
          if (refused) throw refused;
          return start(operation, check);
        }),
      this.interruptCollective,
    );
  }

  /**
   * The lean path of a collective. When the transport is usable, no collective waits in the
   * queue and `options` cannot interrupt the call before it returns (no aborted signal, a valid
   * `timeoutMs`), `start` runs at once. A call the addon finished before `start` returned
   * (`undefined`) is counted and answered with a settled Promise: it needs no deadline, queue
   * entry nor Promise chain. A call that went on to the communicator's thread (a Promise) gets
   * what every collective gets — a deadline, its signal, the session's failure, a place in the
   * queue's count, typed errors — without the full path's queue closure. Returns `undefined`
   * when the lean path does not apply: the caller then takes {@link collective}, which gives
   * every refusal its error.
   *
   * Why: for a 1e3-float allreduce on 4 ranks sharing 2 cores, the guard, queue and Promise
   * chain around the call cost about as much as the allreduce itself, and with 2 ranks they
   * added about 23 µs to a 1e5-float call; now 16–17 µs (docs/benchmarks.md).
   */
  protected immediate(
    describe: () => string,
    options: CallOptions | undefined,
    start: (check: boolean) => Promise<void> | undefined,
    account: () => void,
  ): Promise<void> | undefined {
    if (this.disposal !== undefined || this.session.failed !== undefined || !this.queue.open || !leanOptions(options)) return undefined;
    const seq = ++this.seq;
    let pending: Promise<void> | undefined;
    try {
      pending = start(this.session.settings.checkCollectives);
    } catch (error) {
      return Promise.reject(error);
    }
    if (pending === undefined) {
      account();
      return SETTLED;
    }
    // The same two steps as the full path (the native call's handler, then the guard's), so calls
    // settled together settle in call order whichever path each took.
    const operation = `${describe()} #${seq} on rank ${this.rank}`;
    const work = this.native(operation, pending, account);
    this.queue.enter();
    const leave = () => this.queue.leave();
    work.then(leave, leave);
    const guard = new CallGuard(operation, options, this.session.settings.timeoutMs, this.session.deadlines);
    this.session.track(guard);
    this.guards.add(guard);
    guard.onSettle = () => {
      this.session.untrack(guard);
      this.guards.delete(guard);
    };
    return guard.watch(work, this.interruptCollective);
  }

  /**
   * A collective was interrupted: it cannot be cancelled nor skipped, so the session fails. The
   * error names a dead rank when there is one.
   */
  private readonly interruptCollective: InterruptHandler = (reason, guard) => {
    const operation = guard.operation;
    const lost = this.session.watch.lost(this.worldRanks);
    let error: Error;
    if (lost.length > 0) {
      error = this.session.lostError(lost, `${operation} cannot finish`);
    } else if (reason instanceof DeadlineError) {
      const unknown = this.session.watch.unknown(this.worldRanks);
      const others = unknown.length > 0 ? `; ranks ${unknown.join(', ')} run on other hosts and could not be checked` : '';
      error = new DeadlineError(
        operation,
        guard.timeoutMs,
        `the collective is still inside MPI, which cannot cancel it, so this MPI transport is now unusable${others}`,
      );
    } else {
      error = reason;
    }
    this.session.fail(error, guard);
    return error;
  };

  /** Tracks a native call, maps its errors to typed ones and counts its traffic on success. */
  protected native<T>(operation: string, call: Promise<T>, account?: (result: T) => void): Promise<T> {
    this.natives.add(call);
    return call.then(
      (result) => {
        this.natives.delete(call);
        account?.(result);
        return result;
      },
      (error: unknown) => {
        this.natives.delete(call);
        throw fromNative(error, operation, this.worldRanks);
      },
    );
  }

  /** The error for an interrupted message call: a RankLostError if the peer's process is gone. */
  protected peerError(reason: Interruption, operation: string, peers: readonly number[], detail: string): Error {
    const lost = this.session.watch.lost(peers.map((p) => this.worldRanks[p] ?? p));
    if (lost.length > 0) return this.session.lostError(lost, `${operation} cannot finish`);
    if (reason instanceof DeadlineError) return new DeadlineError(operation, reason.timeoutMs, detail);
    return reason;
  }
}
