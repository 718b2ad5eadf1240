import {
  DeadlineError,
  TransportError,
  systemClock,
  type CallOptions,
  type Clock,
  type NativeCollectives,
  type NumericArray,
  type ReduceOp,
  type Transport,
  type TransportStats,
} from '@syncopate/core';
import type { CommHandle, MpiBinding, MpiInitInfo } from './binding.js';
import { CallGuard, type InterruptHandler, type Interruption } from './call-guard.js';
import { CollectiveQueue } from './collective-queue.js';
import { MpiRequest } from './mpi-request.js';
import { MpiSession } from './mpi-session.js';
import { mpiTransportSettings, type MpiTransportOptions } from './mpi-transport-options.js';
import { fromNative } from './native-error.js';
import { Traffic } from './traffic.js';
import { checkCounts, checkInteger, checkNumeric, checkOp, checkRank, checkTag, checkView, elementName } from './validate.js';

/**
 * A communicator of an existing session: how `split` makes sub-transports.
 * @internal
 */
export interface MpiCommunicator {
  readonly session: MpiSession;
  readonly comm: CommHandle;
  /** World rank of each member, by rank in this communicator. */
  readonly worldRanks: readonly number[];
  /** The transport it was split from. */
  readonly parent: MpiTransport;
}

const INT32_MAX = 0x7fffffff;

/**
 * The `Transport` of `@syncopate/core` over Open MPI, through our N-API binding.
 *
 * - Every call that waits for another rank runs off the JS thread and returns a Promise.
 * - Collectives (and `barrier`, `split`) of a communicator run one at a time in call order
 *   (see {@link CollectiveQueue} for why); messages are not queued and any number may be in flight.
 * - Before each collective, ranks check that they called the same one with the same type, op,
 *   root and length (`checkCollectives`), so a mismatch is a {@link LengthMismatchError} or a
 *   `TransportError` naming each rank's call, not corrupt data or a hang.
 * - Deadlines and AbortSignals: a receive no message has reached yet is withdrawn cleanly. A
 *   send already handed to MPI stays posted (MPI cannot take it back) and may still be
 *   delivered. A collective cannot be cancelled nor skipped on one rank: its Promise rejects,
 *   and the transport (with every transport split from the same world) becomes unusable; later
 *   calls reject at once, and `dispose()` ends the job with `MPI_Abort` and a message naming the
 *   cause instead of hanging in `MPI_Finalize`.
 * - A rank whose process dies (same host) fails the calls waiting for it with a
 *   `RankLostError` naming it, within `livenessIntervalMs`, without waiting for the deadline.
 *
 * Construct it with the binding (tests pass a fake), or use {@link mpiTransport}. Launch the
 * program with `mpirun` (see {@link mpirunArgs}); without it MPI runs as a single rank.
 *
 * @example
 * ```ts
 * const transport = new MpiTransport(loadMpiBinding(), { timeoutMs: 30_000 });
 * const grads = new Float32Array(1 << 20);
 * await transport.collectives.allreduce!(grads, 'sum');
 * await transport.dispose(); // MPI_Finalize
 * ```
 */
export class MpiTransport implements Transport {
  readonly name = 'mpi';
  readonly rank: number;
  readonly size: number;
  readonly clock: Clock = systemClock;
  readonly collectives: NativeCollectives;
  /** World rank of each member, by rank in this communicator. */
  readonly worldRanks: readonly number[];
  private readonly session: MpiSession;
  private readonly comm: CommHandle;
  private readonly queue = new CollectiveQueue();
  private readonly traffic = new Traffic();
  private readonly guards = new Set<CallGuard>();
  private readonly receives = new Map<CallGuard, number>();
  private readonly natives = new Set<Promise<unknown>>();
  private readonly children = new Set<MpiTransport>();
  private readonly parent: MpiTransport | undefined;
  private seq = 0;
  private disposal: Promise<void> | undefined;

  /**
   * Initialises MPI through `binding` (`MPI_Init_thread` with `MPI_THREAD_MULTIPLE`) and
   * returns the world transport. (`communicator` is internal: `split` wraps a new one with it.)
   */
  constructor(binding: MpiBinding, options?: MpiTransportOptions, communicator?: MpiCommunicator) {
    if (communicator) {
      this.session = communicator.session;
      this.comm = communicator.comm;
      this.worldRanks = Object.freeze([...communicator.worldRanks]);
    } else {
      const settings = mpiTransportSettings(options);
      let info: MpiInitInfo;
      try {
        info = binding.init({
          nonblockingBytes: settings.nonblockingBytes,
          pollMicros: settings.pollMicros,
          laneSpinMicros: settings.laneSpinMicros,
        });
      } catch (error) {
        throw fromNative(error, 'MPI initialisation', []);
      }
      this.session = new MpiSession(binding, info, settings);
      this.comm = info.world;
      this.worldRanks = Object.freeze(Array.from({ length: info.size }, (_, r) => r));
    }
    this.parent = communicator?.parent;
    this.rank = this.session.binding.commRank(this.comm);
    this.size = this.session.binding.commSize(this.comm);
    this.collectives = Object.freeze({
      allreduce: (buffer: NumericArray, op: ReduceOp, options?: CallOptions) => this.allreduce(buffer, op, options),
      broadcast: (buffer: ArrayBufferView, root: number, options?: CallOptions) => this.broadcast(buffer, root, options),
      allgather: (data: ArrayBufferView, options?: CallOptions) => this.allgather(data, options),
      reduceScatter: (buffer: Float32Array, counts: readonly number[], options?: CallOptions) => {
        if (!(buffer instanceof Float32Array)) {
          return Promise.reject(new TransportError(`reduceScatter on rank ${this.rank}: buffer must be a Float32Array`));
        }
        return this.reduceScatter(buffer, counts, 'sum', options);
      },
    });
  }

  /** What MPI reported at start-up: library version, thread level, hosts and process ids. */
  get info(): MpiInitInfo {
    return this.session.info;
  }

  get stats(): TransportStats {
    return this.traffic.snapshot();
  }

  /** `MPI_Wtime()`: seconds on MPI's clock. */
  wtime(): number {
    return this.session.binding.wtime();
  }

  // ---- messages ---------------------------------------------------------------------------

  send(dest: number, tag: number, data: ArrayBufferView, options?: CallOptions): Promise<void> {
    const operation = `send(dest ${dest}, tag ${tag}) on rank ${this.rank}`;
    return this.guarded(
      operation,
      options,
      () => {
        checkRank(operation, 'dest', dest, this.size);
        checkTag(operation, tag);
        checkView(operation, 'data', data);
        return this.native(operation, this.session.binding.send(this.comm, dest, tag, data, 0), () =>
          this.traffic.message(data.byteLength, 0),
        );
      },
      (reason) =>
        this.peerError(
          reason,
          operation,
          [dest],
          'the message was already handed to MPI, which cannot take it back; it may still be delivered',
        ),
    );
  }

  recv(source: number, tag: number, options?: CallOptions): Promise<Uint8Array> {
    const operation = `recv(source ${source}, tag ${tag}) on rank ${this.rank}`;
    return this.receive(operation, source, tag, null, options) as Promise<Uint8Array>;
  }

  recvInto(source: number, tag: number, into: ArrayBufferView, options?: CallOptions): Promise<void> {
    const operation = `recvInto(source ${source}, tag ${tag}) on rank ${this.rank}`;
    return this.receive(operation, source, tag, into, options) as Promise<void>;
  }

  /** Starts a send; `wait()` on the handle for its completion. */
  isend(dest: number, tag: number, data: ArrayBufferView, options?: CallOptions): MpiRequest<void> {
    return new MpiRequest(this.send(dest, tag, data, options));
  }

  /** Starts a receive of any length. */
  irecv(source: number, tag: number, options?: CallOptions): MpiRequest<Uint8Array> {
    return new MpiRequest(this.recv(source, tag, options));
  }

  /** Starts a receive of exactly `into.byteLength` bytes. */
  irecvInto(source: number, tag: number, into: ArrayBufferView, options?: CallOptions): MpiRequest<void> {
    return new MpiRequest(this.recvInto(source, tag, into, options));
  }

  /**
   * Sends to `dest` and receives from `source` at once (both posted without blocking, so two
   * ranks exchanging large messages never deadlock); resolves to the message received.
   */
  async sendrecv(dest: number, sendTag: number, data: ArrayBufferView, source: number, recvTag: number, options?: CallOptions): Promise<Uint8Array> {
    const sent = this.send(dest, sendTag, data, options);
    const received = this.recv(source, recvTag, options);
    const [, message] = await Promise.all([sent, received]);
    return message;
  }

  // ---- collectives --------------------------------------------------------------------------

  /** In place: `buffer` becomes the element-wise `op` over ranks. */
  allreduce(buffer: NumericArray, op: ReduceOp, options?: CallOptions): Promise<void> {
    const kind = buffer instanceof Float32Array || buffer instanceof Float64Array || buffer instanceof Int32Array ? elementName(buffer) : '?';
    return this.collective(`allreduce(${kind}, ${String(op)})`, options, (operation, check) => {
      const checked = checkNumeric(operation, 'buffer', buffer);
      const reduceOp = checkOp(operation, op);
      return this.native(operation, this.session.binding.allreduce(this.comm, checked, reduceOp, check), () =>
        this.traffic.allreduce(checked.byteLength, this.size),
      );
    });
  }

  /** Like {@link allreduce}, as a handle to wait on later. */
  iallreduce(buffer: NumericArray, op: ReduceOp, options?: CallOptions): MpiRequest<void> {
    return new MpiRequest(this.allreduce(buffer, op, options));
  }

  /** In place: every rank's `buffer` becomes `root`'s. */
  broadcast(buffer: ArrayBufferView, root: number, options?: CallOptions): Promise<void> {
    return this.collective(`broadcast(root ${root})`, options, (operation, check) => {
      checkRank(operation, 'root', root, this.size);
      const view = checkView(operation, 'buffer', buffer);
      return this.native(operation, this.session.binding.broadcast(this.comm, view, root, check), () =>
        this.traffic.broadcast(view.byteLength, root, this.rank, this.size),
      );
    });
  }

  /** Bytes of any length from every rank, by rank. */
  allgather(data: ArrayBufferView, options?: CallOptions): Promise<Uint8Array[]> {
    return this.collective('allgather', options, (operation, check) => {
      const view = checkView(operation, 'data', data);
      return this.native(operation, this.session.binding.allgather(this.comm, view, check), (parts) =>
        this.traffic.allgather(
          parts.map((p) => p.byteLength),
          this.rank,
        ),
      );
    });
  }

  /** Typed elements, `counts[r]` from rank r, into `recv` one block after another. */
  allgatherv<T extends NumericArray>(send: T, recv: T, counts: readonly number[], options?: CallOptions): Promise<void> {
    return this.collective('allgatherv', options, (operation, check) => {
      checkNumeric(operation, 'send', send);
      checkNumeric(operation, 'recv', recv);
      if (send.constructor !== recv.constructor) throw new TransportError(`${operation}: send and recv must have the same element type`);
      checkCounts(operation, counts, this.size, recv.length);
      if (send.length !== counts[this.rank]) {
        throw new TransportError(`${operation}: send has ${send.length} elements but counts[${this.rank}] is ${counts[this.rank]}`);
      }
      const bytes = send.BYTES_PER_ELEMENT;
      return this.native(operation, this.session.binding.allgatherv(this.comm, send, recv, counts, check), () =>
        this.traffic.allgather(
          counts.map((c) => c * bytes),
          this.rank,
        ),
      );
    });
  }

  /** Bytes of any length from every rank to `root`; resolves to the parts at root, `undefined` elsewhere. */
  gather(data: ArrayBufferView, root: number, options?: CallOptions): Promise<Uint8Array[] | undefined> {
    return this.collective(`gather(root ${root})`, options, (operation, check) => {
      checkRank(operation, 'root', root, this.size);
      const view = checkView(operation, 'data', data);
      return this.native(operation, this.session.binding.gather(this.comm, view, root, check), (parts) => {
        if (parts) {
          this.traffic.gather(
            parts.map((p) => p.byteLength),
            root,
            this.rank,
          );
        } else {
          this.traffic.message(view.byteLength, 0);
        }
      });
    });
  }

  /**
   * In place: `buffer` is split into blocks of `counts[r]` elements; on return block `rank` holds
   * the element-wise `op` over ranks (other blocks are left unspecified).
   */
  reduceScatter(buffer: NumericArray, counts: readonly number[], op: ReduceOp = 'sum', options?: CallOptions): Promise<void> {
    return this.collective(`reduceScatter(${String(op)})`, options, (operation, check) => {
      const checked = checkNumeric(operation, 'buffer', buffer);
      checkCounts(operation, counts, this.size, checked.length);
      const reduceOp = checkOp(operation, op);
      return this.native(operation, this.session.binding.reduceScatter(this.comm, checked, counts, reduceOp, check), () =>
        this.traffic.reduceScatter(
          counts.map((c) => c * checked.BYTES_PER_ELEMENT),
          this.rank,
        ),
      );
    });
  }

  barrier(options?: CallOptions): Promise<void> {
    return this.collective('barrier', options, (operation, check) => this.native(operation, this.session.binding.barrier(this.comm, check)));
  }

  /** Like {@link barrier}, as a handle to wait on later. */
  ibarrier(options?: CallOptions): MpiRequest<void> {
    return new MpiRequest(this.barrier(options));
  }

  /**
   * `MPI_Comm_split`: a transport over the ranks that passed the same `color` (an integer
   * >= 0), ordered by `key`, then by rank. Every rank of this transport must call it.
   */
  split(color: number, key: number, options?: CallOptions): Promise<Transport> {
    return this.collective(`split(color ${color})`, options, async (operation, check) => {
      checkInteger(operation, 'color', color, 0, INT32_MAX);
      checkInteger(operation, 'key', key, -INT32_MAX - 1, INT32_MAX);
      const binding = this.session.binding;
      const comm = await this.native(operation, binding.split(this.comm, color, key, check));
      if (comm === null) throw new TransportError(`${operation}: MPI made no communicator for color ${color}`);
      // World rank of each member, in the new communicator's order.
      const mine = new Int32Array([this.worldRanks[this.rank]!]);
      const parts = await this.native(operation, binding.allgather(comm, mine, false));
      const worldRanks = parts.map((p) => new Int32Array(p.buffer.slice(p.byteOffset, p.byteOffset + 4))[0]!);
      const child = new MpiTransport(binding, undefined, { session: this.session, comm, worldRanks, parent: this });
      this.children.add(child);
      return child;
    });
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

  private refusal(operation: string): Error | undefined {
    if (this.disposal) return new TransportError(`${operation}: the transport was disposed`, [this.rank]);
    return this.session.refusal(operation);
  }

  /** Runs `work` under a deadline and AbortSignal; `interrupt` decides what an interruption means. */
  private guarded<T>(
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

  private receive(operation: string, source: number, tag: number, into: ArrayBufferView | null, options?: CallOptions): Promise<Uint8Array | undefined> {
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

  private collective<T>(describe: string, options: CallOptions | undefined, start: (operation: string, check: boolean) => Promise<T>): Promise<T> {
    const operation = `${describe} #${++this.seq} on rank ${this.rank}`;
    const check = this.session.settings.checkCollectives;
    return this.guarded(
      operation,
      options,
      () =>
        this.queue.run(() => {
          // A call queued behind one that failed never reaches MPI.
          const refused = this.refusal(operation);
          if (refused) throw refused;
          return start(operation, check);
        }),
      this.interruptCollective,
    );
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
  private native<T>(operation: string, call: Promise<T>, account?: (result: T) => void): Promise<T> {
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
  private peerError(reason: Interruption, operation: string, peers: readonly number[], detail: string): Error {
    const lost = this.session.watch.lost(peers.map((p) => this.worldRanks[p] ?? p));
    if (lost.length > 0) return this.session.lostError(lost, `${operation} cannot finish`);
    if (reason instanceof DeadlineError) return new DeadlineError(operation, reason.timeoutMs, detail);
    return reason;
  }
}
