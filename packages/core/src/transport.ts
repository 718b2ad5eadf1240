import type { Clock } from './clock.js';
import { token } from './token.js';

/** Element-wise reduction applied by `allreduce`. */
export type ReduceOp = 'sum' | 'max' | 'min';

/** Typed arrays a transport can reduce. */
export type NumericArray = Float32Array | Float64Array | Int32Array;

/**
 * Per-call controls. Every call that waits on another rank accepts them: a rank that dies or
 * hangs must end the call with an error, never block the caller forever.
 */
export interface CallOptions {
  /** Cancels the call; it then rejects with an `AbortedError`. */
  readonly signal?: AbortSignal;
  /** Milliseconds before the call rejects with a `DeadlineError`; defaults to the transport's. */
  readonly timeoutMs?: number;
}

/** Traffic counters of one rank, since the transport was created. */
export interface TransportStats {
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly messagesSent: number;
}

/**
 * Collectives a transport runs itself (Open MPI's own, or the local transport's). Each method
 * is optional: `@syncopate/collectives` builds any missing one from point-to-point messages.
 * All ranks must call the same collectives in the same order; a transport runs at most one
 * collective at a time and queues the rest in call order.
 */
export interface NativeCollectives {
  /** In place: every rank's `buffer` becomes the element-wise reduction over ranks. */
  allreduce?(buffer: NumericArray, op: ReduceOp, options?: CallOptions): Promise<void>;
  /** In place: every rank's `buffer` becomes `root`'s. */
  broadcast?(buffer: ArrayBufferView, root: number, options?: CallOptions): Promise<void>;
  /** Every rank contributes bytes of any length; every rank gets all contributions, by rank. */
  allgather?(data: ArrayBufferView, options?: CallOptions): Promise<Uint8Array[]>;
  /**
   * In place sum-reduce-scatter: `buffer` is split into `size` contiguous blocks of
   * `counts[r]` elements; on return block `rank` holds the sum over ranks (other blocks are
   * left in an unspecified state).
   */
  reduceScatter?(buffer: Float32Array, counts: readonly number[], options?: CallOptions): Promise<void>;
  /**
   * In place, like `allreduce`, by the ring algorithm (reduce-scatter, then allgather: each rank
   * sends 2(n − 1)/n of the buffer) run inside the transport, in messages of at most
   * `segmentBytes`. `@syncopate/collectives` runs its `ring` algorithm through it when present.
   */
  ringAllreduce?(buffer: NumericArray, op: ReduceOp, segmentBytes: number, options?: CallOptions): Promise<void>;
}

/**
 * How ranks talk: identity, point-to-point messages, native collectives and a barrier.
 *
 * Messages between a pair of ranks with the same tag arrive in send order. `recv` accepts a
 * message of any length; `recvInto` requires the exact length and rejects with a
 * `LengthMismatchError` naming both ranks otherwise. Tags are integers in [0, 32767].
 */
export interface Transport {
  /** Short name, e.g. `local-threads`, `local-simulated`, `mpi`. */
  readonly name: string;
  readonly rank: number;
  readonly size: number;
  /** The clock that timings on this rank are read from (virtual under simulation). */
  readonly clock: Clock;
  /** Collectives offered natively. */
  readonly collectives: NativeCollectives;
  /** Traffic counters of this rank. */
  readonly stats: TransportStats;

  send(dest: number, tag: number, data: ArrayBufferView, options?: CallOptions): Promise<void>;
  recv(source: number, tag: number, options?: CallOptions): Promise<Uint8Array>;
  recvInto(source: number, tag: number, into: ArrayBufferView, options?: CallOptions): Promise<void>;
  /** Waits until every rank has entered the barrier. */
  barrier(options?: CallOptions): Promise<void>;
  /**
   * A sub-transport over the ranks that passed the same `color`, ordered by `key` (then by
   * rank). Collective over the parent: every rank must call it. Optional.
   */
  split?(color: number, key: number, options?: CallOptions): Promise<Transport>;
  /** Releases resources. Idempotent. Pending calls reject. */
  dispose(): Promise<void>;
}

/** The service key of the {@link Transport} interface. */
export const Transport = token<Transport>('syncopate/Transport');

/** Largest tag every transport accepts (MPI guarantees at least this much). */
export const MAX_TAG = 32767;
