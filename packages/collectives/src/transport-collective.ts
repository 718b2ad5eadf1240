import {
  OptionError,
  formatValue,
  type AllreduceOptions,
  type CallOptions,
  type Collective,
  type CollectiveOp,
  type Topology,
  type Transport,
} from '@syncopate/core';
import { binomialBroadcast } from './algorithms/binomial-broadcast.js';
import { globalTopK } from './algorithms/global-top-k.js';
import { majorityVote } from './algorithms/majority-vote.js';
import { neighbourAverage } from './algorithms/neighbour-average.js';
import { pushSum } from './algorithms/push-sum.js';
import { ringAllgather } from './algorithms/ring-allgather.js';
import { ringAllgatherv } from './algorithms/ring-allgatherv.js';
import { ringReduceScatter } from './algorithms/ring-reduce-scatter.js';
import { sparseAllgather } from './algorithms/sparse-allgather.js';
import type { SparseVector } from './algorithms/sparse-vector.js';
import { resolveAllreduce, runAllreduce, type AllreducePlan } from './allreduce-dispatch.js';
import { blocksOf, evenBlocks } from './blocks.js';
import { CollectiveQueue } from './collective-queue.js';
import type { AllreduceAlgorithm } from './cost-model.js';

/** How a {@link TransportCollective} is set up. */
export interface TransportCollectiveConfig extends AllreducePlan {
  /** Name reported in `Collective.name` and in errors, e.g. `ringAllreduce`. */
  readonly name: string;
  /** Use the transport's native allgather, broadcast and reduce-scatter where it has them. */
  readonly preferNative: boolean;
  /** The topology for gossip operations. */
  readonly topology?: Topology;
  /** Which gossip operations to offer over `topology`. */
  readonly gossip?: readonly ('neighbour-average' | 'push-sum')[];
}

/**
 * A {@link Collective} over a {@link Transport}: allreduce by the configured algorithm (native,
 * cost-model choice or pinned), max, allgather(v), broadcast, reduce-scatter, majority vote,
 * sparse aggregation and gTop-k, and — with a topology — neighbour averaging and push-sum.
 *
 * Every call is queued and runs after the previous one has finished (see
 * {@link CollectiveQueue}); the returned Promise is the non-blocking handle. Arguments are checked
 * when the call's turn comes, so a bad argument rejects the Promise (and, like any failure, stops
 * the calls queued after it). `CallOptions` are passed to every message: `timeoutMs` bounds each
 * wait on a peer, `signal` cancels.
 */
export class TransportCollective implements Collective {
  readonly name: string;
  readonly supports: ReadonlySet<CollectiveOp>;
  readonly neighbourAverage?: (buffer: Float32Array, step: number, options?: CallOptions) => Promise<void>;
  readonly pushSum?: (buffer: Float32Array, weight: number, step: number, options?: CallOptions) => Promise<number>;
  private readonly queue: CollectiveQueue;

  constructor(
    private readonly transport: Transport,
    private readonly config: TransportCollectiveConfig,
  ) {
    this.name = config.name;
    this.queue = new CollectiveQueue(config.name);
    const ops: CollectiveOp[] = ['allreduce', 'max', 'allgather', 'broadcast', 'reduce-scatter', 'vote'];
    const topology = config.topology;
    if (topology && config.gossip?.includes('neighbour-average')) {
      ops.push('neighbour-average');
      this.neighbourAverage = (buffer, step, options) =>
        this.queue.run('neighbourAverage', options?.signal, () => {
          checkFloat32(config.name, 'neighbourAverage', buffer);
          return neighbourAverage(transport, topology, buffer, step, options);
        });
    }
    if (topology && config.gossip?.includes('push-sum')) {
      ops.push('push-sum');
      this.pushSum = (buffer, weight, step, options) =>
        this.queue.run('pushSum', options?.signal, () => {
          checkFloat32(config.name, 'pushSum', buffer);
          if (!Number.isFinite(weight)) throw new OptionError(config.name, 'weight', `must be a finite number, got ${formatValue(weight)}`);
          return pushSum(transport, topology, buffer, weight, step, options);
        });
    }
    this.supports = new Set(ops);
  }

  /** The allreduce algorithm a buffer of `bytes` would run with (`native` for the transport's own). */
  algorithmFor(bytes: number): AllreduceAlgorithm | 'native' {
    return resolveAllreduce(this.config, this.transport, bytes);
  }

  allreduce(buffer: Float32Array, options?: AllreduceOptions): Promise<void> {
    return this.queue.run('allreduce', options?.signal, () => {
      checkFloat32(this.name, 'allreduce', buffer);
      return runAllreduce(this.config, this.transport, buffer, 'sum', options);
    });
  }

  max(buffer: Float32Array, options?: CallOptions): Promise<void> {
    return this.queue.run('max', options?.signal, () => {
      checkFloat32(this.name, 'max', buffer);
      return runAllreduce(this.config, this.transport, buffer, 'max', options);
    });
  }

  allgather(data: Uint8Array, options?: CallOptions): Promise<Uint8Array[]> {
    return this.queue.run('allgather', options?.signal, () => {
      if (!(data instanceof Uint8Array)) throw new OptionError(this.name, 'allgather data', `must be a Uint8Array, got ${formatValue(data)}`);
      return this.gather(data, options);
    });
  }

  broadcast(buffer: ArrayBufferView, root: number, options?: CallOptions): Promise<void> {
    return this.queue.run('broadcast', options?.signal, () => {
      if (!ArrayBuffer.isView(buffer)) throw new OptionError(this.name, 'broadcast buffer', `must be a typed array, got ${formatValue(buffer)}`);
      if (!Number.isInteger(root) || root < 0 || root >= this.transport.size) {
        throw new OptionError(this.name, 'root', `must be a rank in [0, ${this.transport.size - 1}], got ${formatValue(root)}`);
      }
      const native = this.config.preferNative ? this.transport.collectives.broadcast : undefined;
      return native ? native.call(this.transport.collectives, buffer, root, options) : binomialBroadcast(this.transport, buffer, root, options);
    });
  }

  /**
   * Sum-reduce-scatter, in place: `buffer` is cut into one block per rank (`counts[r]` elements
   * for rank r, or near-equal blocks); on return this rank's block holds the sum over ranks and
   * the other blocks are unspecified.
   */
  reduceScatter(buffer: Float32Array, counts?: readonly number[], options?: CallOptions): Promise<void> {
    return this.queue.run('reduceScatter', options?.signal, () => {
      checkFloat32(this.name, 'reduceScatter', buffer);
      const blocks = this.blocks(buffer, counts);
      const native = this.config.preferNative ? this.transport.collectives.reduceScatter : undefined;
      if (native) return native.call(this.transport.collectives, buffer, blocks.map((b) => b.count), options);
      return ringReduceScatter(this.transport, buffer, blocks, 'sum', options, this.config.ring);
    });
  }

  /**
   * Allgather of float32 blocks, in place: on entry this rank's block (`counts[rank]` elements, or
   * near-equal blocks) holds its contribution; on return every block holds its owner's.
   */
  allgatherBlocks(buffer: Float32Array, counts?: readonly number[], options?: CallOptions): Promise<void> {
    return this.queue.run('allgatherBlocks', options?.signal, () => {
      checkFloat32(this.name, 'allgatherBlocks', buffer);
      return ringAllgather(this.transport, buffer, this.blocks(buffer, counts), options, this.config.ring);
    });
  }

  vote(signs: Int8Array, options?: CallOptions): Promise<void> {
    return this.queue.run('vote', options?.signal, () => {
      if (!(signs instanceof Int8Array)) throw new OptionError(this.name, 'signs', `must be an Int8Array, got ${formatValue(signs)}`);
      return majorityVote((d) => this.gather(d, options), signs);
    });
  }

  /** Sparse aggregation: every rank's (index, value) pairs gathered and summed over the union of supports. */
  sparseAllgather(vector: SparseVector, options?: CallOptions): Promise<SparseVector> {
    return this.queue.run('sparseAllgather', options?.signal, () => sparseAllgather((d) => this.gather(d, options), vector));
  }

  /** gTop-k: the k largest entries of the summed sparse vectors, re-sparsified at every merge. */
  globalTopK(vector: SparseVector, k: number, options?: CallOptions): Promise<SparseVector> {
    return this.queue.run('globalTopK', options?.signal, () => globalTopK(this.transport, vector, k, options));
  }

  private blocks(buffer: Float32Array, counts: readonly number[] | undefined) {
    const size = this.transport.size;
    return counts ? blocksOf(buffer.length, counts, size, this.name) : evenBlocks(buffer.length, size);
  }

  private gather(data: Uint8Array, options?: CallOptions): Promise<Uint8Array[]> {
    const native = this.config.preferNative ? this.transport.collectives.allgather : undefined;
    return native ? native.call(this.transport.collectives, data, options) : ringAllgatherv(this.transport, data, options);
  }
}

function checkFloat32(owner: string, operation: string, buffer: unknown): void {
  if (!(buffer instanceof Float32Array)) throw new OptionError(owner, `${operation} buffer`, `must be a Float32Array, got ${formatValue(buffer)}`);
}
