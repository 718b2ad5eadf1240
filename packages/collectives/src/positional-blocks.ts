/**
 * Why this exists: a ring allreduce adds the contributions to block b of a message in the order
 * the ring visits the ranks, starting after rank b, so an element's sum depends on which block of
 * the message it lands in, and that depends on how the vector was cut into messages. Re-bucketing
 * (tensor fusion, priority partitions) then re-associates float sums and BSP runs stop being
 * bit-identical across schedulers.
 *
 * The fix: the block of an element is chosen from its position in the WHOLE vector — chunk
 * ⌊g / grain⌋ of the global grid goes to block (chunk mod n) — and the message is packed block by
 * block into n equal, zero-padded blocks before the ring runs. Any ring over n even blocks (ours,
 * the local transport's) then sums element g in an order that depends on g alone. Cost: one copy
 * in and out, and fewer than n · grain padding elements per message (see {@link POSITION_GRAIN}).
 */
import { OptionError, type NumericArray } from '@syncopate/core';
import { scratchLike } from './reduce.js';

/**
 * Elements per chunk of the global grid that assigns elements to ring blocks (64 bytes of
 * float32). Small, so that even a small bucket spreads over all blocks: the padding is under
 * n · grain elements per message.
 */
export const POSITION_GRAIN = 16;

/**
 * Where the elements of a buffer that starts at global position `elementOffset` go in a message of
 * `parts` equal blocks: element g of the whole vector is in block ⌊g / grain⌋ mod parts.
 *
 * @example
 * ```ts
 * const layout = new PositionalBlocks(bucket.offset, bucket.length, transport.size);
 * const packed = layout.pack(view);
 * await ring(transport, packed, 'sum');
 * layout.unpack(packed, view);
 * ```
 */
export class PositionalBlocks {
  /** Elements per block of the packed message (the largest block; the others are padded). */
  readonly blockLength: number;

  constructor(
    private readonly elementOffset: number,
    private readonly length: number,
    private readonly parts: number,
    private readonly grain: number = POSITION_GRAIN,
  ) {
    if (!Number.isInteger(elementOffset) || elementOffset < 0) {
      throw new OptionError('allreduce', 'elementOffset', `must be a non-negative integer, got ${String(elementOffset)}`);
    }
    const counts = new Array<number>(parts).fill(0);
    this.forEachRun((start, end, block) => {
      counts[block]! += end - start;
    });
    this.blockLength = Math.max(0, ...counts);
  }

  /** Length of the packed message: `parts` blocks of {@link blockLength}. */
  packedLength(parts: number): number {
    return parts * this.blockLength;
  }

  /** A zero-padded packed copy of `buffer` (block b holds the elements of block b, in order). */
  pack<T extends NumericArray>(buffer: T, parts: number): T {
    const packed = scratchLike(buffer, this.packedLength(parts));
    const filled = new Array<number>(this.parts).fill(0);
    this.forEachRun((start, end, block) => {
      let to = block * this.blockLength + filled[block]!;
      for (let from = start; from < end; from++, to++) packed[to] = buffer[from]!;
      filled[block]! += end - start;
    });
    return packed;
  }

  /** Write the elements of `packed` back to their places in `buffer`. */
  unpack(packed: NumericArray, buffer: NumericArray): void {
    const filled = new Array<number>(this.parts).fill(0);
    this.forEachRun((start, end, block) => {
      let from = block * this.blockLength + filled[block]!;
      for (let to = start; to < end; from++, to++) buffer[to] = packed[from]!;
      filled[block]! += end - start;
    });
  }

  /** Calls `run(start, end, block)` for each run of the buffer inside one chunk of the grid, in order. */
  private forEachRun(run: (start: number, end: number, block: number) => void): void {
    const { elementOffset, length, parts, grain } = this;
    for (let chunk = Math.floor(elementOffset / grain), start = 0; start < length; chunk++) {
      const end = Math.min(length, (chunk + 1) * grain - elementOffset);
      run(start, end, chunk % parts);
      start = end;
    }
  }
}
