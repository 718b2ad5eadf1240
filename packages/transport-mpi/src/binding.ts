import type { NumericArray, ReduceOp } from '@syncopate/core';

/** A communicator inside the addon. The world is a duplicate of `MPI_COMM_WORLD`. */
export type CommHandle = number;

/** Start-up settings of the addon. Every rank must pass the same values. */
export interface MpiInitOptions {
  /**
   * Allreduce and broadcast of at most this many bytes (and every barrier, unless 0) use MPI's
   * non-blocking collectives, started on the JS thread and polled there for up to
   * `pollMicros` before the communicator's thread takes over. Larger calls use the blocking
   * collectives on that thread. 0 turns the fast path off. Default 65536.
   */
  readonly nonblockingBytes?: number;
  /** How long the JS thread polls a small collective before handing it over. Default 250 µs. */
  readonly pollMicros?: number;
  /** How long a communicator's thread polls for its next call before it sleeps. Default 0. */
  readonly laneSpinMicros?: number;
}

/** Who runs where, exchanged once at start-up. */
export interface MpiPeer {
  readonly pid: number;
  readonly host: string;
}

/** What `init` reports. */
export interface MpiInitInfo {
  /** The thread level MPI provides (3 = `MPI_THREAD_MULTIPLE`). */
  readonly provided: number;
  readonly threadMultiple: boolean;
  readonly rank: number;
  readonly size: number;
  /** Handle of the world communicator. */
  readonly world: CommHandle;
  /** `MPI_Get_library_version`, e.g. `Open MPI v4.1.4, …`. */
  readonly library: string;
  /** `MPI_Get_processor_name` of this rank. */
  readonly processor: string;
  /** Process id and host of every world rank, by rank. */
  readonly peers: readonly MpiPeer[];
}

/**
 * `code` of the errors the addon rejects with:
 * - `MPI`: an MPI call returned an error (`mpiErrorClass` is MPI's error class);
 * - `LENGTH_MISMATCH`: ranks passed buffers of different lengths (`lengths` by rank), or a
 *   message did not fit `recvInto` (`ranks` = [receiver, sender], `lengths` = [expected, sent]);
 * - `SIGNATURE`: ranks called different collectives, types, ops or roots (`signatures` by rank);
 * - `CANCELLED`: a receive was withdrawn by `cancel` before a message matched it;
 * - `INVALID`: the call cannot be expressed in MPI (more than 2^31 − 1 bytes in one call);
 * - `STATE`: MPI is not initialised, already finalised, or a communicator was freed;
 * - `BUSY`: `finalize` was called with calls in flight.
 */
export type MpiNativeErrorCode = 'MPI' | 'LENGTH_MISMATCH' | 'SIGNATURE' | 'CANCELLED' | 'INVALID' | 'STATE' | 'BUSY';

/** An error thrown or rejected by the addon. */
export interface MpiNativeError extends Error {
  readonly code: MpiNativeErrorCode;
  readonly operation?: string;
  readonly mpiErrorClass?: number;
  readonly lengths?: readonly number[];
  readonly ranks?: readonly number[];
  readonly signatures?: readonly string[];
}

/**
 * The surface of the native addon (`build/Release/syncopate_mpi.node`), one function per MPI
 * operation. {@link MpiTransport} takes it in its constructor, so tests hand it a fake.
 *
 * Threads: `init`, `finalize`, `abort`, `wtime` and the rank/size getters run on the JS
 * thread and never wait for another rank. Every call that may wait returns a Promise: the
 * collectives of a communicator run one after another on that communicator's own thread (or
 * start and finish on the JS thread when small, see {@link MpiInitOptions.nonblockingBytes}),
 * messages on one progress thread that keeps any number of them in flight. Callers must not
 * start a second collective on a communicator before the first settles — MPI would match them
 * out of order and mix their data; {@link MpiTransport} queues them.
 *
 * Semantics are MPI's (MPI Forum, "MPI: A Message-Passing Interface Standard, Version 3.1",
 * 2015): collectives of a communicator are matched across ranks by issue order, and a blocking
 * collective never matches a non-blocking one (§5.12), which is why the addon picks the variant
 * from the byte length alone.
 *
 * `check` asks the addon to verify that all ranks called the same collective with the same
 * element type, op, root and length: one small allreduce before the data moves, which carries
 * an allreduce of at most 4000 bytes itself (and completes a barrier). Ranks must agree on `check`
 * for each call.
 */
export interface MpiBinding {
  /** `MPI_Init_thread(MPI_THREAD_MULTIPLE)`; fails when MPI cannot provide that level. */
  init(options?: MpiInitOptions): MpiInitInfo;
  /** Frees every communicator and calls `MPI_Finalize`. False when already finalised. */
  finalize(): boolean;
  /** `MPI_Abort(MPI_COMM_WORLD, errorCode)`: ends every process of the job. */
  abort(errorCode: number): void;
  /** `MPI_Wtime`, in seconds. */
  wtime(): number;
  isInitialized(): boolean;
  isFinalized(): boolean;
  /** Native calls started and not yet settled. */
  inFlight(): number;

  commRank(comm: CommHandle): number;
  commSize(comm: CommHandle): number;
  /** `MPI_Comm_split`; resolves to the new communicator. `color` must be >= 0. */
  split(comm: CommHandle, color: number, key: number, check: boolean): Promise<CommHandle | null>;
  /** `MPI_Comm_free`, after the communicator's other collectives. Not for the world. */
  commFree(comm: CommHandle): Promise<void>;

  /** In-place `MPI_Allreduce`. */
  allreduce(comm: CommHandle, buffer: NumericArray, op: ReduceOp, check: boolean): Promise<void>;
  /**
   * Like {@link allreduce}, for callers that want no Promise when none is needed: a call that
   * finished on the JS thread's fast path, without failing, returns `undefined` (the buffer
   * already holds the result). Otherwise it returns the call's Promise: the call went on to the
   * communicator's thread, or failed.
   */
  allreduceNow(comm: CommHandle, buffer: NumericArray, op: ReduceOp, check: boolean): Promise<void> | undefined;
  /** In-place `MPI_Bcast` of the view's bytes. */
  broadcast(comm: CommHandle, buffer: ArrayBufferView, root: number, check: boolean): Promise<void>;
  /** Like {@link broadcast}, returning `undefined` for a call that finished at once (see {@link allreduceNow}). */
  broadcastNow(comm: CommHandle, buffer: ArrayBufferView, root: number, check: boolean): Promise<void> | undefined;
  /** Bytes of any length from every rank (`MPI_Allgather` of lengths, then `MPI_Allgatherv`). */
  allgather(comm: CommHandle, data: ArrayBufferView, check: boolean): Promise<Uint8Array[]>;
  /** `MPI_Allgatherv`: `send.length === counts[rank]`, `recv.length === sum(counts)`. */
  allgatherv(comm: CommHandle, send: NumericArray, recv: NumericArray, counts: readonly number[], check: boolean): Promise<void>;
  /** Bytes of any length to `root`; resolves to the parts at root and to `undefined` elsewhere. */
  gather(comm: CommHandle, data: ArrayBufferView, root: number, check: boolean): Promise<Uint8Array[] | undefined>;
  /** In-place `MPI_Reduce_scatter`; block `rank` ends reduced at its own offset. */
  reduceScatter(comm: CommHandle, buffer: NumericArray, counts: readonly number[], op: ReduceOp, check: boolean): Promise<void>;
  /** `MPI_Barrier` (`MPI_Ibarrier` on the fast path). */
  barrier(comm: CommHandle, check: boolean): Promise<void>;
  /** Like {@link barrier}, returning `undefined` for a call that finished at once (see {@link allreduceNow}). */
  barrierNow(comm: CommHandle, check: boolean): Promise<void> | undefined;
  /**
   * In-place ring allreduce run on the communicator's thread (receive, combine and send chained
   * in C++ over a private duplicate of `comm`), in messages of at most `segmentBytes`.
   */
  ringAllreduce(comm: CommHandle, buffer: NumericArray, op: ReduceOp, segmentBytes: number, check: boolean): Promise<void>;

  /** `MPI_Isend` of the view's bytes. `id` names the call for `cancel` (unused for sends). */
  send(comm: CommHandle, dest: number, tag: number, data: ArrayBufferView, id: number): Promise<void>;
  /**
   * Probes, then receives. `into === null`: any length, resolves to a new Uint8Array; otherwise
   * exactly `into.byteLength` bytes, or rejects with `LENGTH_MISMATCH`.
   */
  recv(comm: CommHandle, source: number, tag: number, into: ArrayBufferView | null, id: number): Promise<Uint8Array | undefined>;
  /**
   * Withdraws the receive `id` if no message has matched it yet (it then rejects with
   * `CANCELLED`) and returns true; false when a message already matched (it completes).
   */
  cancel(id: number): boolean;
}
