import { OptionError } from '../errors.js';
import type { Bucket } from '../layout.js';
import { token } from '../token.js';
import type { CallOptions } from '../transport.js';

/**
 * Which ranks a buffer is combined with.
 * - `all`: every rank (allreduce-style; gradients in BSP, parameters in local SGD);
 * - `neighbours`: the topology's in-neighbours with its mixing weights (D-PSGD gossip);
 * - `push-sum`: push-sum over the topology's out-neighbours (SGP); needs a weight.
 */
export type ExchangePattern = 'all' | 'neighbours' | 'push-sum';

/** One request to the exchange stage. */
export interface ExchangeRequest {
  /**
   * What the buffer holds: `gradient`, `parameter`, `delta` (model difference, pseudo-gradient),
   * `momentum`, or a plugin's own name. Error-feedback memory is kept per stream and bucket.
   */
  readonly stream: string;
  readonly step: number;
  /** Part of the flat buffer this is; the whole buffer when omitted. */
  readonly bucket?: Bucket;
  /** Defaults to `all`. */
  readonly pattern?: ExchangePattern;
  /** For `all`: the mean (default) or the sum over ranks. */
  readonly reduction?: 'mean' | 'sum';
  /** Set to false to send this buffer uncompressed even when a compressor is composed. */
  readonly compress?: boolean;
  /** For `push-sum`: this rank's current push-sum weight. */
  readonly weight?: number;
}

/** What one exchange did. */
export interface ExchangeResult {
  /** Bytes this rank sent. */
  readonly bytesSent: number;
  /** For `push-sum`: the new weight. */
  readonly weight?: number;
  /** Milliseconds spent compressing, decompressing and in error feedback. */
  readonly compressionMs: number;
  /** Milliseconds spent in collectives. */
  readonly communicationMs: number;
}

/**
 * The one stage every tensor that crosses the network goes through:
 * error feedback (compensate) → compress → collective (over the topology) → decompress →
 * error feedback (update). Gradients (BSP), parameters and model deltas (local SGD, SlowMo) and
 * gossip all use it, so every compressor works with every policy that moves tensors.
 *
 * `run` works in place and returns when the result is in `buffer`. Requests are issued in call
 * order; starting one and awaiting it later is the non-blocking form (HPSGD, Overlap-Local-SGD).
 */
export interface Exchange {
  run(buffer: Float32Array, request: ExchangeRequest, options?: CallOptions): Promise<ExchangeResult>;
}

/** The service key of the {@link Exchange} interface (provided by the trainer). */
export const Exchange = token<Exchange>('syncopate/Exchange');

/**
 * Check an exchange request the way every `Exchange` must, and return the part of `buffer` it
 * covers (the bucket's view, or the whole buffer). Throws an `OptionError` naming the field.
 * Shared by the trainer's exchange stage and the test exchanges of `@syncopate/testing`, so a
 * policy that passes its contract suite is not refused by the trainer.
 */
export function checkExchangeRequest(buffer: Float32Array, request: ExchangeRequest): Float32Array {
  if (!(buffer instanceof Float32Array)) throw new OptionError('exchange', 'buffer', 'must be a Float32Array');
  if (typeof request?.stream !== 'string' || request.stream.length === 0) throw new OptionError('exchange', 'request.stream', 'must be a non-empty string');
  if (!Number.isInteger(request.step) || request.step < 0) throw new OptionError('exchange', 'request.step', `must be a non-negative integer, got ${request.step}`);
  const pattern = request.pattern ?? 'all';
  if (!['all', 'neighbours', 'push-sum'].includes(pattern)) throw new OptionError('exchange', 'request.pattern', `must be 'all', 'neighbours' or 'push-sum', got '${pattern}'`);
  if (pattern === 'push-sum' && !(typeof request.weight === 'number' && Number.isFinite(request.weight))) {
    throw new OptionError('exchange', 'request.weight', "must be a finite number for pattern 'push-sum'");
  }
  const bucket = request.bucket;
  if (!bucket) return buffer;
  if (!Number.isInteger(bucket.offset) || !Number.isInteger(bucket.length) || bucket.offset < 0 || bucket.offset + bucket.length > buffer.length) {
    throw new OptionError('exchange', 'request.bucket', `covers [${bucket.offset}, ${bucket.offset + bucket.length}) but the buffer has ${buffer.length} elements`);
  }
  return buffer.subarray(bucket.offset, bucket.offset + bucket.length);
}
