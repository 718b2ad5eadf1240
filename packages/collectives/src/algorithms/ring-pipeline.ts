import type { CallOptions, NumericArray } from '@syncopate/core';
import type { Block } from '../blocks.js';
import type { PeerLink } from '../peer-link.js';
import { scratchLike } from '../reduce.js';

/** Default bytes per message of the ring algorithms: blocks larger than this travel in segments. */
export const RING_SEGMENT_BYTES = 1 << 20;

/** Default number of messages of one ring pass in flight at once in each direction. */
export const RING_PIPELINE_DEPTH = 8;

/** How the ring algorithms cut and pipeline their messages. */
export interface RingTuning {
  /** Largest message in bytes; default {@link RING_SEGMENT_BYTES}. */
  readonly segmentBytes?: number;
  /** Messages in flight per direction, 1…8; default {@link RING_PIPELINE_DEPTH}. */
  readonly depth?: number;
}

/**
 * A sequence of ring steps: at step s this rank sends block `sendBlock(s)` to rank + 1 and
 * receives block `recvBlock(s)` from rank − 1. A reduce-scatter is n − 1 combining steps, an
 * allgather n − 1 copying steps, an allreduce both in one pass.
 */
export interface RingPass {
  readonly steps: number;
  readonly sendBlock: (step: number) => number;
  readonly recvBlock: (step: number) => number;
  /** First of 8 consecutive reserved tags for step s; message m uses `tag(s) + m mod depth`. */
  readonly tag: (step: number) => number;
  /**
   * Where a segment arriving at step s goes: one of `depth` scratch slots, to be combined into
   * place by `combine`; or, when this returns undefined, straight into its place in the buffer.
   */
  readonly scratch: (step: number, slot: number, count: number) => NumericArray | undefined;
  /** Combines an arrived segment into place (called in message order, for scratch arrivals). */
  readonly combine?: (target: NumericArray, arrived: NumericArray) => void;
}

/** Number of segments a block of `count` elements of `bytesPerElement` is sent in (at least 1). */
export function segmentCount(count: number, bytesPerElement: number, segmentBytes = RING_SEGMENT_BYTES): number {
  return Math.max(1, Math.ceil((count * bytesPerElement) / segmentBytes));
}

/** {@link RingTuning} with defaults filled in and checked. */
export function ringTuning(tuning: RingTuning = {}): Required<RingTuning> {
  const segmentBytes = tuning.segmentBytes ?? RING_SEGMENT_BYTES;
  const depth = tuning.depth ?? RING_PIPELINE_DEPTH;
  if (!Number.isInteger(segmentBytes) || segmentBytes < 4) throw new RangeError(`ring segmentBytes must be an integer >= 4, got ${segmentBytes}`);
  if (!Number.isInteger(depth) || depth < 1 || depth > 8) throw new RangeError(`ring depth must be an integer in [1, 8], got ${depth}`);
  return { segmentBytes, depth };
}

/** Segment `j` of `k` of a block: near-equal contiguous parts. */
function segment(block: Block, j: number, k: number): Block {
  const base = Math.floor(block.count / k);
  const extra = block.count % k;
  return { offset: block.offset + j * base + Math.min(j, extra), count: base + (j < extra ? 1 : 0) };
}

/**
 * Runs the steps of `pass` as one pipeline: each block is cut into segments of at most
 * `segmentBytes` and message m = (step, segment) is sent to rank + 1 while the matching one is
 * received from rank − 1. Up to `depth` messages are in flight in each direction, so the link
 * stays busy while arrived segments are combined, and no step waits for the slowest rank to
 * finish the whole previous step. A segment is sent only after the message that brought it (k
 * messages earlier, k segments per block) has arrived and been combined.
 *
 * Every message is sent even when its segment is empty, so ranks that passed buffers of
 * different lengths get a `LengthMismatchError` from the transport instead of waiting forever.
 */
export async function ringPipeline(
  link: PeerLink,
  buffer: NumericArray,
  blocks: readonly Block[],
  pass: RingPass,
  options?: CallOptions,
  tuning: RingTuning = {},
): Promise<void> {
  const n = link.size;
  if (n === 1) return;
  const { segmentBytes, depth } = ringTuning(tuning);
  const next = (link.rank + 1) % n;
  const prev = (link.rank + n - 1) % n;
  const k = segmentCount(Math.max(...blocks.map((b) => b.count)), buffer.BYTES_PER_ELEMENT, segmentBytes);
  const total = pass.steps * k;
  const view = (b: Block) => buffer.subarray(b.offset, b.offset + b.count);
  const inFlight: { m: number; done: Promise<unknown>; target: NumericArray; arrived: NumericArray }[] = [];
  let completed = 0; // messages 0 … completed − 1 have arrived and been combined
  const completeOldest = async () => {
    const oldest = inFlight.shift()!;
    await oldest.done;
    if (oldest.arrived !== oldest.target) pass.combine?.(oldest.target, oldest.arrived);
    completed = oldest.m + 1;
  };
  try {
    for (let m = 0; m < total; m++) {
      const step = Math.floor(m / k);
      const j = m % k;
      // The segment sent now arrived k messages ago; and keep at most `depth` messages in flight.
      while (inFlight.length >= depth || (step > 0 && completed <= m - k)) await completeOldest();
      const tag = pass.tag(step) + (m % depth);
      const target = view(segment(blocks[pass.recvBlock(step)]!, j, k));
      const arrived = pass.scratch(step, m % depth, target.length) ?? target;
      const outgoing = view(segment(blocks[pass.sendBlock(step)]!, j, k));
      const done = Promise.all([link.send(next, tag, outgoing, options), link.recvInto(prev, tag, arrived, options)]);
      inFlight.push({ m, done, target, arrived });
    }
    while (inFlight.length > 0) await completeOldest();
  } finally {
    // On failure, let the other messages settle before the buffer is handed back.
    await Promise.allSettled(inFlight.map((f) => f.done));
  }
}

/** `depth` scratch arrays for segments of blocks up to `largest` elements, like `buffer`. */
export function ringScratch(buffer: NumericArray, largest: number, tuning: RingTuning = {}): NumericArray[] {
  const { segmentBytes, depth } = ringTuning(tuning);
  const slotLength = Math.ceil(largest / segmentCount(largest, buffer.BYTES_PER_ELEMENT, segmentBytes));
  return Array.from({ length: depth }, () => scratchLike(buffer, slotLength));
}
