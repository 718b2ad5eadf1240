/**
 * The server side of the parameter-server policies: one shard of the parameters, served to the
 * workers over point-to-point messages on the reserved tags (see `tags.ts`).
 *
 * Why it runs in the background: workers push at their own pace, so the server cannot serve them
 * from its own training steps (that would make every worker wait for the server's steps). Instead
 * one receive loop per worker runs beside the trainer; each message is handled to completion
 * before the next (JavaScript runs one handler at a time), so the shard's state needs no lock.
 * A failure in a loop is kept and thrown from the server's next policy call; waiters are released
 * with it, so nothing hangs.
 */
import { PayloadError, StateError, type Snapshot, type Transport } from '@syncopate/core';
import { SYNC_POLICY_TAGS } from '../tags.js';
import { RequestKind, decodeMessage, encodeMessage } from './messages.js';
import type { Shard } from './shards.js';
import type { ShardState, UpdateRule } from './update-rule.js';

type Status = 'active' | 'paused' | 'done';

/**
 * One server rank's shard of the parameters and its service to the workers: applies their pushes
 * through an {@link UpdateRule}, answers them when the rule allows, and treats pauses and the end
 * of training as barriers across the workers (every worker is answered once all have arrived).
 */
export class ServerShard {
  private readonly state: ShardState;
  private readonly active = new Set<number>();
  private readonly status = new Map<number, Status>();
  /** Workers whose push waits for an answer. */
  private readonly waitingPush = new Set<number>();
  /** Workers that paused or finished and wait for every worker to do the same. */
  private readonly waitingEnd = new Set<number>();
  private readonly waiters: { untilDone: boolean; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private failure: unknown;
  private started = false;

  constructor(
    private readonly owner: string,
    private readonly transport: Transport,
    readonly shard: Shard,
    private readonly workers: readonly number[],
    private readonly rule: UpdateRule,
    initial: Float32Array,
  ) {
    this.state = { parameters: initial.slice(), version: 0, clocks: new Map(workers.map((w) => [w, 0])), active: this.active };
    for (const worker of workers) {
      this.active.add(worker);
      this.status.set(worker, 'active');
    }
  }

  get parameters(): Float32Array {
    return this.state.parameters;
  }

  get version(): number {
    return this.state.version;
  }

  /** The fewest pushes any worker has made. */
  get slowestClock(): number {
    return Math.min(...this.state.clocks.values());
  }

  /** Start one receive loop per worker. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const worker of this.workers) void this.serve(worker);
  }

  /** Throw the failure of a receive loop, if one failed. */
  check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** Resolves once every worker has paused or finished (their answers are then on the way). */
  whenIdle(): Promise<void> {
    return this.until(false);
  }

  /** Resolves once every worker has finished. */
  whenDone(): Promise<void> {
    return this.until(true);
  }

  snapshot(): Snapshot {
    return {
      parameters: this.state.parameters.slice(),
      version: this.state.version,
      clocks: Float64Array.from(this.workers.map((w) => this.state.clocks.get(w)!)),
      rule: this.rule.snapshot(),
    };
  }

  restore(snapshot: Snapshot): void {
    const { parameters, version, clocks, rule } = snapshot;
    if (!(parameters instanceof Float32Array) || parameters.length !== this.shard.length || typeof version !== 'number' || !(clocks instanceof Float64Array) || clocks.length !== this.workers.length) {
      throw new StateError(`${this.owner}: the server snapshot of rank ${this.shard.server} does not fit a shard of ${this.shard.length} values and ${this.workers.length} workers`);
    }
    this.state.parameters.set(parameters);
    this.state.version = version;
    this.workers.forEach((w, i) => this.state.clocks.set(w, clocks[i]!));
    this.rule.restore((rule ?? {}) as Snapshot);
  }

  private async serve(worker: number): Promise<void> {
    try {
      for (;;) {
        const bytes = await this.transport.recv(worker, SYNC_POLICY_TAGS.serverRequest);
        const message = decodeMessage(bytes, this.shard.length, `worker ${worker}`, true);
        const kind = message.header[0];
        if (kind === RequestKind.Push) {
          if (message.values.length !== this.shard.length) throw new PayloadError(`${this.owner}: push from worker ${worker} carries ${message.values.length} values, the shard has ${this.shard.length}`);
          this.onPush(worker, message.values, message.header[1]!, message.header[2]!);
        } else if (kind === RequestKind.Pause || kind === RequestKind.Done) {
          this.onEnd(worker, kind === RequestKind.Done ? 'done' : 'paused');
        } else {
          throw new PayloadError(`${this.owner}: unknown request kind ${kind} from worker ${worker}`);
        }
        if (kind === RequestKind.Done) return;
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private onPush(worker: number, delta: Float32Array, clock: number, baseVersion: number): void {
    if (this.status.get(worker) !== 'active') {
      this.status.set(worker, 'active');
      this.active.add(worker);
      this.rule.activeChanged(this.state);
    }
    this.state.clocks.set(worker, clock + 1);
    this.rule.push(this.state, worker, delta, baseVersion);
    this.waitingPush.add(worker);
    this.answerPushes();
  }

  private onEnd(worker: number, status: Status): void {
    this.status.set(worker, status);
    this.active.delete(worker);
    this.waitingEnd.add(worker);
    this.rule.activeChanged(this.state);
    this.answerPushes();
    if (this.active.size > 0) return;
    for (const w of this.waitingEnd) this.reply(w, 0);
    this.waitingEnd.clear();
    for (const waiter of [...this.waiters]) {
      if (!this.reached(waiter.untilDone)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  private until(untilDone: boolean): Promise<void> {
    this.check();
    if (this.reached(untilDone)) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ untilDone, resolve, reject }));
  }

  private reached(untilDone: boolean): boolean {
    return untilDone ? this.workers.every((w) => this.status.get(w) === 'done') : this.active.size === 0;
  }

  /** Answer every waiting push the rule now allows (a push can unblock others: SSP's slowest clock). */
  private answerPushes(): void {
    for (const worker of [...this.waitingPush]) {
      if (!this.rule.mayAnswer(this.state, worker)) continue;
      this.waitingPush.delete(worker);
      this.reply(worker, this.rule.appliedStaleness(worker) ?? -1);
    }
  }

  private reply(worker: number, staleness: number): void {
    const header: [number, number, number, number] = [this.state.clocks.get(worker)!, this.slowestClock, this.state.version, staleness];
    this.transport.send(worker, SYNC_POLICY_TAGS.serverReply, encodeMessage(header, this.state.parameters)).catch((error: unknown) => this.fail(error));
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
  }
}
