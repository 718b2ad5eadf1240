import {
  LengthMismatchError,
  TransportError,
  type CallOptions,
  type Clock,
  type NativeCollectives,
  type NumericArray,
  type ReduceOp,
  type Transport,
  type TransportStats,
} from '@syncopate/core';
import { CallScope } from './call-scope.js';
import { binomialBroadcast } from './collectives/binomial-broadcast.js';
import { bytesOf } from './collectives/blocks.js';
import { CollectiveChannel, type Counters } from './collectives/channel.js';
import { collectiveCode, describeCode, type KindName } from './collectives/codes.js';
import { disseminationBarrier } from './collectives/dissemination-barrier.js';
import { ringAllgather } from './collectives/ring-allgather.js';
import { ringAllreduce } from './collectives/ring-allreduce.js';
import { ringReduceScatter } from './collectives/ring-reduce-scatter.js';
import { splitCommunicator } from './collectives/split.js';
import { CollectiveQueue } from './collective-queue.js';
import type { Endpoint } from './endpoint.js';
import { checkInt32, checkRank, checkReducible, checkTag, checkView } from './validate.js';

/**
 * The `Transport` both local modes hand out: a communicator (a group of world ranks and a pair
 * of context ids) over one rank's {@link Endpoint}.
 *
 * Point-to-point calls go straight to the endpoint. Collectives (and `barrier`, `split`) are
 * numbered in call order and run one at a time from a queue, as ring, binomial-tree and
 * dissemination algorithms over the endpoint's messages, so the simulated network times them
 * message by message. Each call gets one deadline and one AbortSignal for all its messages.
 */
export class LocalTransport implements Transport {
  readonly rank: number;
  readonly collectives: NativeCollectives;
  private readonly counters: Counters = { bytesSent: 0, bytesReceived: 0, messagesSent: 0 };
  private readonly queue = new CollectiveQueue();
  private readonly active = new Set<CallScope>();
  private seq = 0;
  private disposed = false;

  constructor(
    protected readonly endpoint: Endpoint,
    readonly name: string,
    /** World ranks of the members, by rank in this communicator. */
    protected readonly group: readonly number[],
    /** User messages use `context`; collectives use `context + 1`. */
    protected readonly context: number,
  ) {
    this.rank = group.indexOf(endpoint.rank);
    this.collectives = Object.freeze({
      allreduce: (buffer: NumericArray, op: ReduceOp, options?: CallOptions) => this.allreduce(buffer, op, options),
      broadcast: (buffer: ArrayBufferView, root: number, options?: CallOptions) => this.broadcast(buffer, root, options),
      allgather: (data: ArrayBufferView, options?: CallOptions) => this.allgather(data, options),
      reduceScatter: (buffer: Float32Array, counts: readonly number[], options?: CallOptions) => this.reduceScatter(buffer, counts, options),
    });
  }

  get size(): number {
    return this.group.length;
  }

  get clock(): Clock {
    return this.endpoint.clock;
  }

  get stats(): TransportStats {
    return { ...this.counters };
  }

  send(dest: number, tag: number, data: ArrayBufferView, options?: CallOptions): Promise<void> {
    const operation = `send(dest ${dest}, tag ${tag}) on rank ${this.rank}`;
    return this.call(operation, options, async (scope) => {
      checkRank(operation, 'dest', dest, this.size);
      checkTag(operation, tag);
      const bytes = bytesOf(checkView(operation, 'data', data));
      scope.detail = `waiting for rank ${dest}`;
      await this.endpoint.send(this.group[dest]!, this.context, tag, bytes, undefined, scope);
      this.counters.bytesSent += bytes.byteLength;
      this.counters.messagesSent++;
    });
  }

  recv(source: number, tag: number, options?: CallOptions): Promise<Uint8Array> {
    const operation = `recv(source ${source}, tag ${tag}) on rank ${this.rank}`;
    return this.call(operation, options, (scope) => this.receive(operation, source, tag, scope));
  }

  recvInto(source: number, tag: number, into: ArrayBufferView, options?: CallOptions): Promise<void> {
    const operation = `recvInto(source ${source}, tag ${tag}) on rank ${this.rank}`;
    return this.call(operation, options, async (scope) => {
      const target = bytesOf(checkView(operation, 'into', into));
      const payload = await this.receive(operation, source, tag, scope);
      if (payload.byteLength !== target.byteLength) {
        // The message is consumed either way, as MPI does with a truncated receive.
        throw new LengthMismatchError(
          `${operation}: rank ${source} sent ${payload.byteLength} bytes into a buffer of ${target.byteLength} bytes on rank ${this.rank}`,
          new Map([
            [source, payload.byteLength],
            [this.rank, target.byteLength],
          ]),
        );
      }
      target.set(payload);
    });
  }

  barrier(options?: CallOptions): Promise<void> {
    return this.collective('barrier', collectiveCode('barrier'), options, (channel) => disseminationBarrier(channel));
  }

  async split(color: number, key: number, options?: CallOptions): Promise<Transport> {
    return this.collective('split', collectiveCode('split'), options, async (channel) => {
      checkInt32(`split on rank ${this.rank}`, 'color', color);
      checkInt32(`split on rank ${this.rank}`, 'key', key);
      const result = await splitCommunicator(channel, color, key, this.endpoint.nextContext);
      this.endpoint.nextContext = Math.max(this.endpoint.nextContext, result.nextContext);
      return this.derive(
        result.members.map((member) => this.group[member]!),
        result.context,
      );
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const scope of [...this.active]) scope.cancel(new TransportError(`${scope.operation}: the transport was disposed`, [this.rank]));
    if (this.context === 0) await this.endpoint.dispose();
  }

  /** The transport of a sub-communicator made by `split`; subclasses return their own type. */
  protected derive(group: readonly number[], context: number): LocalTransport {
    return new LocalTransport(this.endpoint, this.name, group, context);
  }

  private allreduce(buffer: NumericArray, op: ReduceOp, options?: CallOptions): Promise<void> {
    // Arguments are checked inside the queued call so that a bad call still takes its place in
    // the sequence of collectives and the other ranks' calls are not paired with the wrong ones.
    const valid = buffer instanceof Float32Array || buffer instanceof Float64Array || buffer instanceof Int32Array;
    const code = valid && ['sum', 'max', 'min'].includes(op) ? collectiveCode('allreduce', op, buffer) : collectiveCode('allreduce');
    return this.collective('allreduce', code, options, (channel) => {
      const [array, checkedOp] = checkReducible(`allreduce on rank ${this.rank}`, buffer, op);
      return ringAllreduce(channel, array, checkedOp);
    });
  }

  private broadcast(buffer: ArrayBufferView, root: number, options?: CallOptions): Promise<void> {
    return this.collective('broadcast', collectiveCode('broadcast'), options, (channel) => {
      const operation = `broadcast on rank ${this.rank}`;
      checkRank(operation, 'root', root, this.size);
      return binomialBroadcast(channel, bytesOf(checkView(operation, 'buffer', buffer)), root);
    });
  }

  private allgather(data: ArrayBufferView, options?: CallOptions): Promise<Uint8Array[]> {
    return this.collective('allgather', collectiveCode('allgather'), options, (channel) =>
      ringAllgather(channel, bytesOf(checkView(`allgather on rank ${this.rank}`, 'data', data))),
    );
  }

  private reduceScatter(buffer: Float32Array, counts: readonly number[], options?: CallOptions): Promise<void> {
    return this.collective('reduceScatter', collectiveCode('reduceScatter'), options, (channel) => {
      if (!(buffer instanceof Float32Array)) throw new TransportError(`reduceScatter on rank ${this.rank}: buffer must be a Float32Array`);
      if (!Array.isArray(counts)) throw new TransportError(`reduceScatter on rank ${this.rank}: counts must be an array of ${this.size} integers`);
      return ringReduceScatter(channel, buffer, counts);
    });
  }

  private async receive(operation: string, source: number, tag: number, scope: CallScope): Promise<Uint8Array> {
    checkRank(operation, 'source', source, this.size);
    checkTag(operation, tag);
    scope.detail = `waiting for rank ${source}`;
    const message = await this.endpoint.recv(this.group[source]!, this.context, tag, scope);
    this.counters.bytesReceived += message.payload.byteLength;
    return message.payload;
  }

  private collective<T>(kind: KindName, code: number, options: CallOptions | undefined, algorithm: (channel: CollectiveChannel) => Promise<T>): Promise<T> {
    const seq = ++this.seq;
    const operation = `${kind === 'allreduce' ? describeCode(code) : kind} #${seq} on rank ${this.rank}`;
    return this.call(operation, options, (scope) =>
      this.queue.run(scope, () =>
        algorithm(new CollectiveChannel(this.endpoint, this.group, this.context + 1, this.rank, seq, code, scope, this.counters)),
      ),
    );
  }

  private async call<T>(operation: string, options: CallOptions | undefined, work: (scope: CallScope) => Promise<T>): Promise<T> {
    if (this.disposed) throw new TransportError(`${operation}: the transport was disposed`, [this.rank]);
    const scope = new CallScope(operation, options, this.endpoint.defaultTimeoutMs, this.endpoint.timers, this.endpoint.clock);
    this.active.add(scope);
    try {
      return await scope.run(() => work(scope));
    } finally {
      this.active.delete(scope);
    }
  }
}
