import {
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
import { CommunicatorCalls } from './communicator-calls.js';
import { MpiRequest } from './mpi-request.js';
import { MpiSession } from './mpi-session.js';
import { mpiTransportSettings, type MpiTransportOptions } from './mpi-transport-options.js';
import { fromNative } from './native-error.js';
import { MAX_MPI_BYTES, checkCounts, checkInteger, checkNumeric, checkOp, checkRank, checkTag, checkView, elementName } from './validate.js';

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
 *   (see `CollectiveQueue` for why); messages are not queued and any number may be in flight.
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
export class MpiTransport extends CommunicatorCalls implements Transport {
  readonly name = 'mpi';
  readonly clock: Clock = systemClock;
  readonly collectives: NativeCollectives;

  /**
   * Initialises MPI through `binding` (`MPI_Init_thread` with `MPI_THREAD_MULTIPLE`) and
   * returns the world transport. (`communicator` is internal: `split` wraps a new one with it.)
   */
  constructor(binding: MpiBinding, options?: MpiTransportOptions, communicator?: MpiCommunicator) {
    const { session, comm, worldRanks } = communicator ?? MpiTransport.open(binding, options);
    super(session, comm, worldRanks, communicator?.parent);
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
      ringAllreduce: (buffer: NumericArray, op: ReduceOp, segmentBytes: number, options?: CallOptions) =>
        this.ringAllreduce(buffer, op, segmentBytes, options),
    });
  }

  /** `MPI_Init_thread` with the settings, and the world communicator of the new session. */
  private static open(binding: MpiBinding, options: MpiTransportOptions | undefined): Omit<MpiCommunicator, 'parent'> {
    const settings = mpiTransportSettings(options);
    let info: MpiInitInfo;
    try {
      info = binding.init({ nonblockingBytes: settings.nonblockingBytes, pollMicros: settings.pollMicros, laneSpinMicros: settings.laneSpinMicros });
    } catch (error) {
      throw fromNative(error, 'MPI initialisation', []);
    }
    return { session: new MpiSession(binding, info, settings), comm: info.world, worldRanks: Array.from({ length: info.size }, (_, r) => r) };
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
    // Well-formed calls first try the lean path (see `immediate`); anything else, and every
    // malformed call, takes the full one, which names what is wrong.
    if (
      (buffer instanceof Float32Array || buffer instanceof Float64Array || buffer instanceof Int32Array) &&
      buffer.byteLength <= MAX_MPI_BYTES &&
      (op === 'sum' || op === 'max' || op === 'min')
    ) {
      const lean = this.immediate(
        () => `allreduce(${elementName(buffer)}, ${op})`,
        options,
        (check) => this.session.binding.allreduceNow(this.comm, buffer, op, check),
        () => this.traffic.allreduce(buffer.byteLength, this.size),
      );
      if (lean !== undefined) return lean;
    }
    const kind = buffer instanceof Float32Array || buffer instanceof Float64Array || buffer instanceof Int32Array ? elementName(buffer) : '?';
    return this.collective(`allreduce(${kind}, ${String(op)})`, options, (operation, check) => {
      const checked = checkNumeric(operation, 'buffer', buffer);
      const reduceOp = checkOp(operation, op);
      return this.native(operation, this.session.binding.allreduce(this.comm, checked, reduceOp, check), () =>
        this.traffic.allreduce(checked.byteLength, this.size),
      );
    });
  }

  /**
   * In place, like {@link allreduce}, by the ring algorithm run on the communicator's thread: the
   * receive → combine → send chain of each of its messages (at most `segmentBytes` long) stays in
   * C++, and segments of consecutive steps overlap (Patarasuk & Yuan, "Bandwidth optimal
   * all-reduce algorithms for clusters of workstations", JPDC 2009). Each rank sends 2(n − 1)/n of
   * the buffer; blocks, segments and the order of combination are those of the `ring` algorithm
   * of `@syncopate/collectives`, so results match it bit for bit. Checked like every collective.
   */
  ringAllreduce(buffer: NumericArray, op: ReduceOp, segmentBytes: number, options?: CallOptions): Promise<void> {
    const kind = buffer instanceof Float32Array || buffer instanceof Float64Array || buffer instanceof Int32Array ? elementName(buffer) : '?';
    return this.collective(`ringAllreduce(${kind}, ${String(op)})`, options, (operation, check) => {
      const checked = checkNumeric(operation, 'buffer', buffer);
      const reduceOp = checkOp(operation, op);
      const segment = checkInteger(operation, 'segmentBytes', segmentBytes, 1, 2 ** 31 - 1);
      return this.native(operation, this.session.binding.ringAllreduce(this.comm, checked, reduceOp, segment, check), () =>
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
    if (ArrayBuffer.isView(buffer) && buffer.byteLength <= MAX_MPI_BYTES && Number.isInteger(root) && root >= 0 && root < this.size) {
      const lean = this.immediate(
        () => `broadcast(root ${root})`,
        options,
        (check) => this.session.binding.broadcastNow(this.comm, buffer, root, check),
        () => this.traffic.broadcast(buffer.byteLength, root, this.rank, this.size),
      );
      if (lean !== undefined) return lean;
    }
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
    const lean = this.immediate(
      () => 'barrier',
      options,
      (check) => this.session.binding.barrierNow(this.comm, check),
      () => undefined,
    );
    return lean ?? this.collective('barrier', options, (operation, check) => this.native(operation, this.session.binding.barrier(this.comm, check)));
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


}
