import { StateError, type Snapshot, type StepContext, type SyncOutcome, type SyncPolicy, type Topology, type Transport } from '@syncopate/core';
import { callOptions } from '../internal/call-options.js';
import { RequestKind } from './messages.js';
import { ServerShard } from './server-shard.js';
import { serverLayout, type ServerLayout, type Shard } from './shards.js';
import type { UpdateRule } from './update-rule.js';
import { WorkerClient } from './worker-client.js';

/** Makes the update rule of one server's shard, once the ranks' roles are known. */
export type UpdateRuleFactory = (layout: ServerLayout, shard: Shard) => UpdateRule;

/**
 * A sync policy on a parameter-server topology (SSP, ASP, backup workers). The topology's server
 * ranks hold the parameters, split into one shard per server; every other rank is a worker that
 * pushes its change after each step and continues from what the servers answer (see
 * {@link WorkerClient}). Server ranks still run the trainer's steps, but their gradients are not
 * used: each step they only take the current server parameters (of their own shard).
 *
 * No collective is used during training, so slow workers never stall fast ones beyond what the
 * rule allows. When a run pauses, every worker tells its servers and waits until all workers have
 * paused, so the servers' snapshot is a consistent cut; at the end, every rank takes the final
 * server parameters.
 */
export class ParameterServerPolicy implements SyncPolicy {
  private server: ServerShard | undefined;
  private worker: WorkerClient | undefined;

  constructor(
    readonly name: string,
    private readonly transport: Transport,
    private readonly topology: Topology,
    private readonly makeRule: UpdateRuleFactory,
    /** Checks the options against the ranks' roles on every rank (throws an `OptionError`). */
    private readonly check: (layout: ServerLayout) => void = () => undefined,
  ) {}

  /** `server` or `worker` on this rank (after init). */
  get role(): 'server' | 'worker' | undefined {
    return this.server ? 'server' : this.worker ? 'worker' : undefined;
  }

  init(parameters: Float32Array): void {
    const layout = serverLayout(this.name, this.topology, this.transport.size, parameters.length);
    this.check(layout);
    const shard = layout.shards.find((s) => s.server === this.transport.rank);
    if (shard) {
      const values = parameters.subarray(shard.offset, shard.offset + shard.length);
      this.server = new ServerShard(this.name, this.transport, shard, layout.workers, this.makeRule(layout, shard), values);
    } else {
      this.worker = new WorkerClient(this.name, this.transport, layout.shards, parameters);
    }
  }

  async onGradients(): Promise<void> {}

  async onParameters(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome> {
    const { server, worker } = this.roles(parameters);
    if (worker) {
      await worker.step(parameters, ctx, callOptions(ctx));
      return { synced: true };
    }
    server!.start();
    server!.check();
    parameters.set(server!.parameters, server!.shard.offset);
    ctx.trace('version', server!.version);
    ctx.trace('slowestClock', server!.slowestClock);
    return { synced: false };
  }

  /** Pause: workers tell their servers and wait until every worker has paused; servers wait for that. */
  async settle(ctx: StepContext): Promise<void> {
    if (this.worker) await this.worker.end(RequestKind.Pause, undefined, callOptions(ctx));
    if (this.server) {
      this.server.start();
      await this.server.whenIdle();
    }
  }

  /** Every rank ends on the final server parameters, once every worker is done. */
  async finish(parameters: Float32Array, ctx: StepContext): Promise<void> {
    const { server, worker } = this.roles(parameters);
    if (worker) await worker.end(RequestKind.Done, parameters, callOptions(ctx));
    if (server) {
      server.start();
      await server.whenDone();
      parameters.set(server.parameters, server.shard.offset);
    }
  }

  snapshot(): Snapshot {
    if (this.server) return { role: 'server', server: this.server.snapshot() };
    if (this.worker) return { role: 'worker', worker: this.worker.snapshot() };
    throw new StateError(`${this.name}: no state before init`);
  }

  restore(snapshot: Snapshot): void {
    const role = snapshot.role;
    if (role !== this.role) throw new StateError(`${this.name}: the snapshot is of a ${String(role)} rank, this rank is a ${String(this.role)}`);
    if (this.server) this.server.restore(snapshot.server as Snapshot);
    else this.worker!.restore(snapshot.worker as Snapshot);
  }

  private roles(parameters: Float32Array): { server?: ServerShard; worker?: WorkerClient } {
    if (!this.server && !this.worker) this.init(parameters);
    return { ...(this.server && { server: this.server }), ...(this.worker && { worker: this.worker }) };
  }
}
