import { OptionError } from '@syncopate/core';

/** A contiguous block `[offset, offset + count)` of a buffer. */
export interface Block {
  readonly offset: number;
  readonly count: number;
}

/** Split `length` elements into `parts` contiguous blocks whose sizes differ by at most one. */
export function evenBlocks(length: number, parts: number): Block[] {
  const base = Math.floor(length / parts);
  const extra = length % parts;
  const blocks: Block[] = [];
  let offset = 0;
  for (let p = 0; p < parts; p++) {
    const count = base + (p < extra ? 1 : 0);
    blocks.push({ offset, count });
    offset += count;
  }
  return blocks;
}

/** Blocks of the given `counts`; they must be non-negative integers summing to `length`. */
export function blocksOf(length: number, counts: readonly number[], parts: number, owner: string): Block[] {
  if (counts.length !== parts || counts.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new OptionError(owner, 'counts', `must be ${parts} non-negative integers (one per rank), got [${counts.join(', ')}]`);
  }
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== length) throw new OptionError(owner, 'counts', `must sum to the buffer length ${length}, got ${total}`);
  let offset = 0;
  return counts.map((count) => {
    const block = { offset, count };
    offset += count;
    return block;
  });
}
