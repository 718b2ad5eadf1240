import { token } from '../token.js';
import type { CallOptions } from '../transport.js';

/** Operations a collective plugin may support. */
export type CollectiveOp =
  | 'allreduce'
  | 'allgather'
  | 'broadcast'
  | 'reduce-scatter'
  | 'neighbour-average'
  | 'push-sum'
  | 'vote'
  | 'max';

/** Per-call controls of {@link Collective.allreduce}. */
export interface AllreduceOptions extends CallOptions {
  /**
   * Where `buffer[0]` lies in the whole vector `buffer` is a part of (a bucket's offset in the
   * parameter layout). When every rank passes it, the ring algorithms add each element's
   * contributions in an order that depends only on this global position, so BSP gives
   * bit-identical results however the vector is cut into buckets. Omitted: positions are
   * counted from the start of `buffer`.
   */
  readonly elementOffset?: number;
}

/**
 * Communication algorithms over the transport (ring, recursive doubling, tree, hierarchical,
 * gossip, push-sum…).
 *
 * Calls are queued and run one at a time in call order, so every rank issues them in the same
 * order. A call returns a Promise as soon as it is queued: awaiting it later is the
 * non-blocking form (start now, overlap with compute, wait at the next step).
 */
export interface Collective {
  readonly name: string;
  readonly supports: ReadonlySet<CollectiveOp>;
  /**
   * In place: `buffer` becomes the element-wise sum over ranks. With `options.elementOffset`,
   * an algorithm whose summation order depends on an element's place in the message chooses it
   * from the element's place in the whole vector instead, so re-bucketing does not change any sum.
   */
  allreduce(buffer: Float32Array, options?: AllreduceOptions): Promise<void>;
  /** In place: `buffer` becomes the element-wise maximum over ranks. */
  max(buffer: Float32Array, options?: CallOptions): Promise<void>;
  /** Bytes of any length from every rank, in rank order. */
  allgather(data: Uint8Array, options?: CallOptions): Promise<Uint8Array[]>;
  /** In place: `buffer` becomes `root`'s. */
  broadcast(buffer: ArrayBufferView, root: number, options?: CallOptions): Promise<void>;
  /**
   * Gossip mixing with the topology at `step`: x ← W[rank][rank]·x + Σ_j W[rank][j]·x_j.
   * Present when `supports` has `neighbour-average`.
   */
  neighbourAverage?(buffer: Float32Array, step: number, options?: CallOptions): Promise<void>;
  /**
   * One push-sum round at `step` on (buffer, weight): both are sent scaled by the column
   * weights and the received ones summed. Returns the new weight; `buffer / weight` is the
   * de-biased estimate. Present when `supports` has `push-sum`.
   */
  pushSum?(buffer: Float32Array, weight: number, step: number, options?: CallOptions): Promise<number>;
  /**
   * Element-wise majority vote: `signs` holds ±1 (0 counts as no vote); on return each element
   * is the sign of the sum over ranks. Present when `supports` has `vote`.
   */
  vote?(signs: Int8Array, options?: CallOptions): Promise<void>;
}

/** The service key of the {@link Collective} interface. */
export const Collective = token<Collective>('syncopate/Collective');
