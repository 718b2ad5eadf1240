import type { ThreadFabric } from './fabric.js';

/**
 * One direction of one pair of ranks: a single-producer single-consumer byte ring in shared
 * memory. The writer publishes bytes by advancing `written` after copying them; the reader frees
 * space by advancing `read` after copying them out. Both counters wrap around at 2^32, which is a
 * multiple of the power-of-two capacity, so `counter & (capacity − 1)` is always the position.
 * `Atomics.store`/`load` on the counters order the plain byte copies around them.
 */
export class Mailbox {
  private readonly bytes: Uint8Array;
  private readonly counters: Int32Array;
  private readonly writtenAt: number;
  private readonly readAt: number;
  private readonly mask: number;

  constructor(fabric: ThreadFabric, source: number, dest: number) {
    const index = source * fabric.size + dest;
    this.bytes = new Uint8Array(fabric.data, index * fabric.capacity, fabric.capacity);
    this.counters = new Int32Array(fabric.indices);
    this.writtenAt = 2 * index;
    this.readAt = 2 * index + 1;
    this.mask = fabric.capacity - 1;
  }

  /** Bytes written and not yet read. */
  available(): number {
    return (Atomics.load(this.counters, this.writtenAt) - Atomics.load(this.counters, this.readAt)) | 0;
  }

  /** Copies as much of `chunk` as fits; returns how many bytes were written. */
  write(chunk: Uint8Array): number {
    const written = Atomics.load(this.counters, this.writtenAt);
    const free = this.bytes.length - ((written - Atomics.load(this.counters, this.readAt)) | 0);
    const n = Math.min(free, chunk.length);
    if (n === 0) return 0;
    const position = written & this.mask;
    const first = Math.min(n, this.bytes.length - position);
    this.bytes.set(chunk.subarray(0, first), position);
    if (n > first) this.bytes.set(chunk.subarray(first, n), 0);
    Atomics.store(this.counters, this.writtenAt, (written + n) | 0);
    return n;
  }

  /** Copies up to `into.length` available bytes into `into`; returns how many were read. */
  read(into: Uint8Array): number {
    const read = Atomics.load(this.counters, this.readAt);
    const n = Math.min(((Atomics.load(this.counters, this.writtenAt) - read) | 0), into.length);
    if (n === 0) return 0;
    const position = read & this.mask;
    const first = Math.min(n, this.bytes.length - position);
    into.set(this.bytes.subarray(position, position + first));
    if (n > first) into.set(this.bytes.subarray(0, n - first), first);
    Atomics.store(this.counters, this.readAt, (read + n) | 0);
    return n;
  }
}
