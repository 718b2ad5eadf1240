/**
 * The shared memory of a worker-thread run, made by the main thread and handed to every worker.
 *
 * - `control` (int32): a doorbell per rank, then a status per rank. A rank sleeps on its own
 *   doorbell; anyone who gives it something to do (bytes in one of its mailboxes, space freed in
 *   a mailbox it writes, a status change) increments the doorbell and notifies it.
 * - one mailbox per ordered pair (source, dest): `capacity` bytes of ring buffer in `data` and a
 *   (written, read) pair of byte counters in `indices`. Only the source writes it and only the
 *   dest reads it, so the counters need no locks.
 */
export interface ThreadFabric {
  readonly size: number;
  /** Bytes per mailbox; a power of two. */
  readonly capacity: number;
  readonly control: SharedArrayBuffer;
  readonly indices: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
}

/** Values of a rank's status word. */
export const RankStatus = Object.freeze({ running: 0, finished: 1, failed: 2 });

/** Default mailbox size: about 16 MiB in all, each between 4 KiB and 1 MiB. */
export function defaultMailboxBytes(size: number): number {
  const target = Math.floor((16 << 20) / (size * size));
  let bytes = 4096;
  while (bytes * 2 <= Math.min(target, 1 << 20)) bytes *= 2;
  return bytes;
}

export function createFabric(size: number, capacity: number): ThreadFabric {
  return {
    size,
    capacity,
    control: new SharedArrayBuffer(8 * size),
    indices: new SharedArrayBuffer(8 * size * size),
    data: new SharedArrayBuffer(capacity * size * size),
  };
}

/** Wakes `rank`: something changed that it may be waiting for. */
export function ringDoorbell(control: Int32Array, rank: number): void {
  Atomics.add(control, rank, 1);
  Atomics.notify(control, rank);
}

/** Sets a rank's status and wakes every rank so that those waiting on it notice. */
export function setStatus(fabric: ThreadFabric, rank: number, status: number): void {
  const control = new Int32Array(fabric.control);
  if (Atomics.compareExchange(control, fabric.size + rank, RankStatus.running, status) !== RankStatus.running) return;
  for (let r = 0; r < fabric.size; r++) ringDoorbell(control, r);
}

/** A rank's status. */
export function statusOf(fabric: ThreadFabric, control: Int32Array, rank: number): number {
  return Atomics.load(control, fabric.size + rank);
}
