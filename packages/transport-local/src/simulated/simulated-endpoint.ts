import { RankLostError, TransportError, type Clock } from '@syncopate/core';
import type { CallScope, Timers } from '../call-scope.js';
import { streamKey, type Endpoint, type Message } from '../endpoint.js';
import { MatchTable, type Waiter } from '../match-table.js';
import type { NetworkModel } from './network-model.js';
import type { Simulator } from './simulator.js';

/** A message on its way: what it carries and when its last byte reaches the receiver. */
interface InFlight extends Message {
  readonly arrival: number;
}

interface RecvWaiter extends Waiter<InFlight> {
  readonly key: string;
  fail(error: Error): void;
}

/** What every endpoint of one simulated network shares. */
export interface SimulatedFabric {
  readonly simulator: Simulator;
  readonly model: NetworkModel;
  readonly endpoints: SimulatedEndpoint[];
  /** When each rank's egress link is next free. */
  readonly egressFreeAt: Float64Array;
  readonly defaultTimeoutMs: number;
}

/**
 * One rank of the simulated network.
 *
 * A send leaves at max(now, when the sender's egress link is free), keeps that link busy for
 * bytes/B and arrives α later: arrival = start + α + bytes/B. Links are full duplex (receiving
 * never waits for sending) and a rank's messages to itself are free. The send resolves when its
 * last byte has left; the receive resolves at max(its own time, arrival). A receive that the
 * matching message would reach only after the call's deadline leaves the message for a later
 * receive and fails at the deadline; once a message is matched the receive is committed.
 */
export class SimulatedEndpoint implements Endpoint {
  readonly clock: Clock;
  readonly timers: Timers;
  nextContext = 2;
  private readonly table = new MatchTable<InFlight>();
  private goneReason: string | undefined;

  constructor(
    private readonly fabric: SimulatedFabric,
    readonly rank: number,
  ) {
    const simulator = fabric.simulator;
    this.clock = simulator.clock;
    this.timers = Object.freeze({
      schedule: (ms: number, fire: () => void) => {
        const event = simulator.after(ms, fire);
        return () => event.cancel();
      },
    });
  }

  get size(): number {
    return this.fabric.endpoints.length;
  }

  get defaultTimeoutMs(): number {
    return this.fabric.defaultTimeoutMs;
  }

  async send(dest: number, context: number, tag: number, payload: Uint8Array, envelope: Int32Array | undefined, scope: CallScope): Promise<void> {
    scope.throwIfCancelled();
    this.checkOpen(scope.operation);
    const peer = this.fabric.endpoints[dest]!;
    if (peer.goneReason !== undefined) throw new RankLostError(dest, peer.goneReason);
    const { simulator, model, egressFreeAt } = this.fabric;
    const now = simulator.now;
    let done = now;
    let arrival = now;
    if (dest !== this.rank) {
      const start = Math.max(now, egressFreeAt[this.rank]!);
      done = start + payload.byteLength / model.bytesPerMs(this.rank, dest);
      egressFreeAt[this.rank] = done;
      arrival = done + model.latencyMs(this.rank, dest);
    }
    peer.deliver(streamKey(context, this.rank, tag), { payload: payload.slice(), envelope, arrival });
    if (done > now) await this.waitUntil(done, scope);
  }

  async recv(source: number, context: number, tag: number, scope: CallScope): Promise<Message> {
    scope.throwIfCancelled();
    this.checkOpen(scope.operation);
    const key = streamKey(context, source, tag);
    const ready = this.table.take(key, (m) => m.arrival <= scope.deadline);
    if (ready) {
      if (ready.arrival > this.fabric.simulator.now) await this.waitUntil(ready.arrival, scope, true);
      return ready;
    }
    const sourceGone = this.fabric.endpoints[source]!.goneReason;
    if (sourceGone !== undefined && !this.table.has(key)) throw new RankLostError(source, sourceGone);
    return this.park(key, source, scope);
  }

  unreceive(source: number, context: number, tag: number, message: Message): void {
    this.table.unshift(streamKey(context, source, tag), { ...message, arrival: this.fabric.simulator.now });
  }

  /** Virtual time passes for this rank (modelled compute). */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const end = this.fabric.simulator.begin({ rank: this.rank, describe: () => `compute for ${ms} ms`, fail: () => {} });
      this.fabric.simulator.after(ms, () => {
        end();
        resolve();
      });
    });
  }

  /** This rank will send no more: receives waiting on it, now or later, fail with a `RankLostError`. */
  markGone(reason: string): void {
    if (this.goneReason !== undefined) return;
    this.goneReason = reason;
    this.fabric.simulator.finish(this.rank);
    for (const endpoint of this.fabric.endpoints) endpoint.sourceGone(this.rank, reason);
  }

  async dispose(): Promise<void> {
    this.markGone('its transport was disposed');
    for (const waiter of this.table.waiters() as RecvWaiter[]) {
      waiter.fail(new TransportError(`rank ${this.rank}: the transport was disposed`, [this.rank]));
    }
  }

  private deliver(key: string, message: InFlight): void {
    this.table.offer(key, message);
  }

  private sourceGone(source: number, reason: string): void {
    for (const waiter of this.table.waiters() as RecvWaiter[]) {
      if (waiter.source === source && !this.table.has(waiter.key)) waiter.fail(new RankLostError(source, reason));
    }
  }

  private park(key: string, source: number, scope: CallScope): Promise<Message> {
    return new Promise<Message>((resolve, reject) => {
      let matched = false;
      const end = this.fabric.simulator.begin({
        rank: this.rank,
        describe: () => `${scope.operation}${scope.detail ? ` (${scope.detail})` : ''}`,
        fail: (error) => scope.cancel(error),
      });
      const finish = (error: Error | undefined, message?: Message) => {
        end();
        unpark();
        stopCancel();
        if (error) reject(error);
        else resolve(message!);
      };
      const waiter: RecvWaiter = {
        key,
        source,
        accepts: (m) => m.arrival <= scope.deadline,
        deliver: (m) => {
          matched = true;
          stopCancel();
          if (m.arrival <= this.fabric.simulator.now) finish(undefined, m);
          else this.fabric.simulator.at(m.arrival, () => finish(undefined, m));
        },
        fail: (error) => {
          if (!matched) finish(error);
        },
      };
      const unpark = this.table.wait(key, waiter);
      const stopCancel = scope.onCancel((error) => waiter.fail(error));
    });
  }

  /** Waits in virtual time until `time`; `committed` waits ignore cancellation (a matched receive). */
  private waitUntil(time: number, scope: CallScope, committed = false): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const end = this.fabric.simulator.begin({ rank: this.rank, describe: () => scope.operation, fail: () => {} });
      const event = this.fabric.simulator.at(time, () => {
        end();
        stopCancel();
        resolve();
      });
      const stopCancel = committed
        ? () => {}
        : scope.onCancel((error) => {
            event.cancel();
            end();
            reject(error);
          });
    });
  }

  private checkOpen(operation: string): void {
    if (this.goneReason === 'its transport was disposed') throw new TransportError(`${operation}: the transport was disposed`, [this.rank]);
  }
}
