import { RankLostError, TransportError, systemClock, type Clock } from '@syncopate/core';
import { realTimers, type CallScope, type Timers } from '../call-scope.js';
import { streamKey, type Endpoint, type Message } from '../endpoint.js';
import { MatchTable, type Waiter } from '../match-table.js';
import { RankStatus, ringDoorbell, setStatus, statusOf, type ThreadFabric } from './fabric.js';
import { FrameAssembler, OutgoingFrame } from './frames.js';
import { Mailbox } from './mailbox.js';

interface Parked extends Waiter<Message> {
  readonly key: string;
  fail(error: Error): void;
}

/** `Atomics.waitAsync` (Node ≥ 16; typed only in the ES2024 lib, which this project does not target). */
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** How long the engine sleeps at most before looking again (a safety net; doorbells wake it). */
const HEARTBEAT_MS = 250;

/**
 * One rank of a worker-thread run: messages travel through the shared-memory mailboxes of
 * `fabric`.
 *
 * Why it is built this way: each rank is a thread with its own event loop, and a rank must never
 * block it (the user's code and timers share it). So nothing here waits synchronously: while any
 * send or receive is pending, an engine loop moves bytes (drains every incoming mailbox into
 * per-stream queues, writes pending frames into outgoing ones) and then sleeps on this rank's
 * doorbell with `Atomics.waitAsync`, which peers ring whenever they write to or read from one of
 * its mailboxes or change their status. Draining eagerly means two ranks that send each other
 * large messages at the same time cannot deadlock on full mailboxes. A pending `waitAsync` does
 * not keep a Node thread alive, so the engine holds a timer while it runs.
 *
 * Messages of one sender arrive in the order sent, on every (context, tag) stream. A rank whose
 * status is no longer `running` sends nothing more: receives that wait on it, with nothing left in
 * its mailbox, fail with a `RankLostError`.
 */
export class ThreadEndpoint implements Endpoint {
  readonly clock: Clock = systemClock;
  readonly timers: Timers = realTimers;
  nextContext = 2;
  private readonly control: Int32Array;
  private readonly outboxes: Mailbox[] = [];
  private readonly inboxes: Mailbox[] = [];
  private readonly assemblers: FrameAssembler[] = [];
  private readonly outgoing: OutgoingFrame[][] = [];
  private readonly table = new MatchTable<Message>();
  private parked = 0;
  private engineRunning = false;
  private disposed = false;

  constructor(
    private readonly fabric: ThreadFabric,
    readonly rank: number,
    readonly defaultTimeoutMs: number,
  ) {
    this.control = new Int32Array(fabric.control);
    for (let peer = 0; peer < fabric.size; peer++) {
      this.outboxes.push(new Mailbox(fabric, rank, peer));
      this.inboxes.push(new Mailbox(fabric, peer, rank));
      this.assemblers.push(new FrameAssembler());
      this.outgoing.push([]);
    }
  }

  get size(): number {
    return this.fabric.size;
  }

  async send(dest: number, context: number, tag: number, payload: Uint8Array, envelope: Int32Array | undefined, scope: CallScope): Promise<void> {
    scope.throwIfCancelled();
    this.checkOpen(scope.operation);
    const lost = this.lostReason(dest);
    if (lost) throw new RankLostError(dest, lost);
    return new Promise<void>((resolve, reject) => {
      const frame = new OutgoingFrame(context, tag, payload, envelope, () => {
        stopCancel();
        resolve();
      }, reject);
      const queue = this.outgoing[dest]!;
      if (queue.length === 0 && frame.pushInto(this.outboxes[dest]!) > 0) ringDoorbell(this.control, dest);
      if (frame.done) return resolve();
      frame.own();
      queue.push(frame);
      const stopCancel = scope.onCancel((error) => {
        // Bytes already in the mailbox cannot be taken back: a started frame is finished anyway.
        if (frame.started) frame.detached = true;
        else queue.splice(queue.indexOf(frame), 1);
        reject(error);
      });
      this.startEngine();
    });
  }

  async recv(source: number, context: number, tag: number, scope: CallScope): Promise<Message> {
    scope.throwIfCancelled();
    this.checkOpen(scope.operation);
    this.progress();
    const key = streamKey(context, source, tag);
    const ready = this.table.take(key);
    if (ready) return ready;
    const lost = this.silentSource(source);
    if (lost) throw new RankLostError(source, lost);
    return new Promise<Message>((resolve, reject) => {
      const waiter: Parked = {
        key,
        source,
        accepts: () => true,
        deliver: (message) => {
          done();
          resolve(message);
        },
        fail: (error) => {
          done();
          reject(error);
        },
      };
      const unpark = this.table.wait(key, waiter);
      const stopCancel = scope.onCancel((error) => waiter.fail(error));
      const done = () => {
        unpark();
        stopCancel();
        this.parked--;
      };
      this.parked++;
      this.startEngine();
    });
  }

  unreceive(source: number, context: number, tag: number, message: Message): void {
    this.table.unshift(streamKey(context, source, tag), message);
  }

  /** Marks this rank failed (its thread threw): peers waiting on it get a `RankLostError`. */
  fail(): void {
    setStatus(this.fabric, this.rank, RankStatus.failed);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    setStatus(this.fabric, this.rank, RankStatus.finished);
    const error = new TransportError(`rank ${this.rank}: the transport was disposed`, [this.rank]);
    for (const waiter of this.table.waiters() as Parked[]) waiter.fail(error);
    for (const queue of this.outgoing) for (const frame of queue.splice(0)) if (!frame.detached) frame.reject(error);
  }

  private get pending(): boolean {
    return !this.disposed && (this.parked > 0 || this.outgoing.some((q) => q.length > 0));
  }

  private startEngine(): void {
    if (this.engineRunning) {
      ringDoorbell(this.control, this.rank);
      return;
    }
    this.engineRunning = true;
    void this.engine();
  }

  /**
   * Moves bytes until nothing is pending. `engineRunning` is cleared in the same synchronous step
   * as the decision to stop: a call that parks after that starts a new engine, never relies on a
   * stopping one.
   */
  private async engine(): Promise<void> {
    const keepAlive = setInterval(() => {}, 1 << 30);
    try {
      for (;;) {
        const seen = Atomics.load(this.control, this.rank);
        if (this.progress()) continue;
        if (!this.pending) break;
        const wait = waitAsync(this.control, this.rank, seen, HEARTBEAT_MS);
        if (wait.async) await wait.value;
      }
    } finally {
      this.engineRunning = false;
      clearInterval(keepAlive);
    }
  }

  /** Moves every byte that can move and fails waits on lost ranks; true if anything moved. */
  private progress(): boolean {
    let moved = false;
    for (let peer = 0; peer < this.fabric.size; peer++) {
      const read = this.assemblers[peer]!.pull(this.inboxes[peer]!, ({ context, tag, message }) =>
        this.table.offer(streamKey(context, peer, tag), message),
      );
      if (read > 0) {
        moved = true;
        ringDoorbell(this.control, peer);
      }
      const queue = this.outgoing[peer]!;
      let wrote = 0;
      while (queue.length > 0) {
        const frame = queue[0]!;
        wrote += frame.pushInto(this.outboxes[peer]!);
        if (!frame.done) break;
        queue.shift();
        if (!frame.detached) frame.resolve();
      }
      if (wrote > 0) {
        moved = true;
        ringDoorbell(this.control, peer);
      }
    }
    if (!moved) this.failWaitsOnLostRanks();
    return moved;
  }

  private failWaitsOnLostRanks(): void {
    for (const waiter of this.table.waiters() as Parked[]) {
      const lost = this.silentSource(waiter.source);
      if (lost) waiter.fail(new RankLostError(waiter.source, lost));
    }
    for (let dest = 0; dest < this.fabric.size; dest++) {
      const lost = this.outgoing[dest]!.length > 0 ? this.lostReason(dest) : undefined;
      if (!lost) continue;
      for (const frame of this.outgoing[dest]!.splice(0)) if (!frame.detached) frame.reject(new RankLostError(dest, lost));
    }
  }

  /** Why `source` will never send another message to this rank, if it will not. */
  private silentSource(source: number): string | undefined {
    const lost = this.lostReason(source);
    if (!lost) return undefined;
    return this.inboxes[source]!.available() === 0 ? lost : undefined;
  }

  private lostReason(rank: number): string | undefined {
    const status = statusOf(this.fabric, this.control, rank);
    if (status === RankStatus.finished) return 'it has finished';
    if (status === RankStatus.failed) return 'its thread failed';
    return undefined;
  }

  private checkOpen(operation: string): void {
    if (this.disposed) throw new TransportError(`${operation}: the transport was disposed`, [this.rank]);
  }
}
