import type { NumericArray, ReduceOp } from '@syncopate/core';
import type { CommHandle, MpiBinding, MpiInitInfo, MpiInitOptions, MpiNativeError, MpiNativeErrorCode, MpiPeer } from '../binding.js';

/** One call made on a {@link FakeMpiBinding}, settled by the test. */
export interface FakeMpiCall {
  readonly method: keyof MpiBinding;
  readonly comm: CommHandle;
  /** Arguments after the communicator. */
  readonly args: readonly unknown[];
  /** Whether a message has "matched" this receive (then `cancel` refuses, as the addon does). */
  matched: boolean;
  readonly settled: boolean;
  resolve(value?: unknown): void;
  reject(error: Error): void;
}

/** Settings of a {@link FakeMpiBinding}. */
export interface FakeMpiBindingOptions {
  readonly rank?: number;
  readonly size?: number;
  /** Process ids and hosts of the world ranks; default: this process's id for every rank, on host `fake`. */
  readonly peers?: readonly MpiPeer[];
  /** What `init` throws, to test start-up failures. */
  readonly initError?: Error;
}

const COLLECTIVES = new Set<keyof MpiBinding>(['split', 'commFree', 'allreduce', 'broadcast', 'allgather', 'allgatherv', 'gather', 'reduceScatter', 'barrier', 'ringAllreduce']);

/** An error shaped like the addon's (a `code` and optional details). */
export function nativeError(code: MpiNativeErrorCode, message: string, details: Partial<Omit<MpiNativeError, 'code' | 'message'>> = {}): MpiNativeError {
  return Object.assign(new Error(message), { code, ...details }) as MpiNativeError;
}

/**
 * A stand-in for the native addon that records every call and lets the test settle it, for
 * unit tests of code above the binding (queueing, deadlines, error mapping) without MPI.
 *
 * @example
 * ```ts
 * const binding = new FakeMpiBinding({ rank: 0, size: 2 });
 * const transport = new MpiTransport(binding);
 * const done = transport.barrier();
 * binding.pending('barrier')[0]!.resolve();
 * await done;
 * ```
 */
export class FakeMpiBinding implements MpiBinding {
  readonly calls: FakeMpiCall[] = [];
  /** Most collectives in flight at once, by communicator. */
  readonly maxCollectivesInFlight = new Map<CommHandle, number>();
  initOptions: MpiInitOptions | undefined;
  /**
   * Whether `allreduceNow`, `broadcastNow` and `barrierNow` finish `call` on the spot (the
   * addon's fast path); default never, so every call waits for the test to settle it.
   */
  finishNow: (call: FakeMpiCall) => boolean = () => false;
  /** The error code passed to `abort`, once it was called. */
  abortedWith: number | undefined;
  private readonly comms = new Map<CommHandle, { rank: number; size: number; freed: boolean }>();
  private readonly peers: readonly MpiPeer[];
  private readonly initError: Error | undefined;
  private state: 'new' | 'running' | 'finalized' = 'new';
  private clock = 0;

  constructor(options: FakeMpiBindingOptions = {}) {
    const size = options.size ?? 2;
    const rank = options.rank ?? 0;
    this.comms.set(0, { rank, size, freed: false });
    this.peers = options.peers ?? Array.from({ length: size }, () => ({ pid: process.pid, host: 'fake' }));
    this.initError = options.initError;
  }

  /** Calls not settled yet, optionally of one method. */
  pending(method?: keyof MpiBinding): FakeMpiCall[] {
    return this.calls.filter((c) => !c.settled && (method === undefined || c.method === method));
  }

  /** Adds a communicator (what a test resolves `split` with). */
  addComm(rank: number, size: number): CommHandle {
    const handle = this.comms.size;
    this.comms.set(handle, { rank, size, freed: false });
    return handle;
  }

  init(options?: MpiInitOptions): MpiInitInfo {
    if (this.initError) throw this.initError;
    if (this.state !== 'new') throw nativeError('STATE', 'MPI is already initialized by this addon');
    this.state = 'running';
    this.initOptions = options;
    const world = this.comms.get(0)!;
    return {
      provided: 3,
      threadMultiple: true,
      rank: world.rank,
      size: world.size,
      world: 0,
      library: 'fake MPI',
      processor: this.peers[world.rank]?.host ?? 'fake',
      peers: this.peers,
    };
  }

  finalize(): boolean {
    if (this.state === 'finalized') return false;
    if (this.inFlight() > 0) throw nativeError('BUSY', `cannot finalize MPI: ${this.inFlight()} call(s) still in flight`);
    this.state = 'finalized';
    return true;
  }

  abort(errorCode: number): void {
    this.abortedWith = errorCode;
  }

  wtime(): number {
    return (this.clock += 0.001);
  }

  isInitialized(): boolean {
    return this.state !== 'new';
  }

  isFinalized(): boolean {
    return this.state === 'finalized';
  }

  inFlight(): number {
    return this.pending().length;
  }

  commRank(comm: CommHandle): number {
    return this.comm(comm).rank;
  }

  commSize(comm: CommHandle): number {
    return this.comm(comm).size;
  }

  split(comm: CommHandle, color: number, key: number, check: boolean): Promise<CommHandle | null> {
    return this.record('split', comm, [color, key, check]) as Promise<CommHandle | null>;
  }

  commFree(comm: CommHandle): Promise<void> {
    const result = this.record('commFree', comm, []) as Promise<void>;
    this.comm(comm).freed = true;
    return result;
  }

  allreduce(comm: CommHandle, buffer: NumericArray, op: ReduceOp, check: boolean): Promise<void> {
    return this.record('allreduce', comm, [buffer, op, check]) as Promise<void>;
  }

  /**
   * Recorded as an `allreduce`. While {@link finishNow} returns true for the call, it is settled
   * at once and `undefined` returned, as the addon's fast path does; otherwise it stays pending.
   */
  allreduceNow(comm: CommHandle, buffer: NumericArray, op: ReduceOp, check: boolean): Promise<void> | undefined {
    return this.now(this.allreduce(comm, buffer, op, check));
  }

  /** Recorded as a `broadcast`; settled at once while {@link finishNow} says so (see {@link allreduceNow}). */
  broadcastNow(comm: CommHandle, buffer: ArrayBufferView, root: number, check: boolean): Promise<void> | undefined {
    return this.now(this.broadcast(comm, buffer, root, check));
  }

  /** Recorded as a `barrier`; settled at once while {@link finishNow} says so (see {@link allreduceNow}). */
  barrierNow(comm: CommHandle, check: boolean): Promise<void> | undefined {
    return this.now(this.barrier(comm, check));
  }

  /** The `*Now` answer for the call just recorded: `undefined` if {@link finishNow} settles it. */
  private now(promise: Promise<void>): Promise<void> | undefined {
    const call = this.calls[this.calls.length - 1]!;
    if (!this.finishNow(call)) return promise;
    call.resolve();
    return undefined;
  }

  broadcast(comm: CommHandle, buffer: ArrayBufferView, root: number, check: boolean): Promise<void> {
    return this.record('broadcast', comm, [buffer, root, check]) as Promise<void>;
  }

  allgather(comm: CommHandle, data: ArrayBufferView, check: boolean): Promise<Uint8Array[]> {
    return this.record('allgather', comm, [data, check]) as Promise<Uint8Array[]>;
  }

  allgatherv(comm: CommHandle, send: NumericArray, recv: NumericArray, counts: readonly number[], check: boolean): Promise<void> {
    return this.record('allgatherv', comm, [send, recv, counts, check]) as Promise<void>;
  }

  gather(comm: CommHandle, data: ArrayBufferView, root: number, check: boolean): Promise<Uint8Array[] | undefined> {
    return this.record('gather', comm, [data, root, check]) as Promise<Uint8Array[] | undefined>;
  }

  reduceScatter(comm: CommHandle, buffer: NumericArray, counts: readonly number[], op: ReduceOp, check: boolean): Promise<void> {
    return this.record('reduceScatter', comm, [buffer, counts, op, check]) as Promise<void>;
  }

  barrier(comm: CommHandle, check: boolean): Promise<void> {
    return this.record('barrier', comm, [check]) as Promise<void>;
  }

  ringAllreduce(comm: CommHandle, buffer: NumericArray, op: ReduceOp, segmentBytes: number, check: boolean): Promise<void> {
    return this.record('ringAllreduce', comm, [buffer, op, segmentBytes, check]) as Promise<void>;
  }

  send(comm: CommHandle, dest: number, tag: number, data: ArrayBufferView, id: number): Promise<void> {
    return this.record('send', comm, [dest, tag, data, id]) as Promise<void>;
  }

  recv(comm: CommHandle, source: number, tag: number, into: ArrayBufferView | null, id: number): Promise<Uint8Array | undefined> {
    return this.record('recv', comm, [source, tag, into, id]) as Promise<Uint8Array | undefined>;
  }

  cancel(id: number): boolean {
    const call = this.pending('recv').find((c) => c.args[3] === id);
    if (!call || call.matched) return false;
    call.reject(nativeError('CANCELLED', `recv was withdrawn before a message arrived`, { operation: 'recv' }));
    return true;
  }

  private comm(handle: CommHandle): { rank: number; size: number; freed: boolean } {
    if (this.state !== 'running') throw nativeError('STATE', 'MPI is not initialized: call init() first');
    const comm = this.comms.get(handle);
    if (!comm) throw new RangeError('unknown communicator handle');
    if (comm.freed) throw nativeError('STATE', `communicator ${handle} was freed`);
    return comm;
  }

  private record(method: keyof MpiBinding, comm: CommHandle, args: unknown[]): Promise<unknown> {
    this.comm(comm);
    let resolve!: (value: unknown) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    let settled = false;
    const call: FakeMpiCall = {
      method,
      comm,
      args,
      matched: false,
      get settled() {
        return settled;
      },
      resolve: (value) => {
        if (settled) return;
        settled = true;
        resolve(value);
      },
      reject: (error) => {
        if (settled) return;
        settled = true;
        reject(error);
      },
    };
    this.calls.push(call);
    if (COLLECTIVES.has(method)) {
      const inFlight = this.pending().filter((c) => c.comm === comm && COLLECTIVES.has(c.method)).length;
      this.maxCollectivesInFlight.set(comm, Math.max(this.maxCollectivesInFlight.get(comm) ?? 0, inFlight));
    }
    return promise;
  }
}
