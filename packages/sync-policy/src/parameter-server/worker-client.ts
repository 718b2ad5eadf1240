import { StateError, type CallOptions, type Snapshot, type StepContext, type Transport } from '@syncopate/core';
import { StateFields } from '../internal/state-fields.js';
import { SYNC_POLICY_TAGS } from '../tags.js';
import { RequestKind, decodeMessage, encodeMessage } from './messages.js';
import type { Shard } from './shards.js';

/**
 * The worker side of the parameter-server policies. After each local step the worker pushes the
 * change of its parameters since its last pull, Δ = x − x_pulled (−γ·g for plain SGD; any base
 * optimizer's step in general), to the server of every shard, and continues from the parameters
 * each server answers with. It never waits for other workers itself: when it has to wait, it is
 * because its server holds the answer back (SSP's bound, a backup-worker round).
 */
export class WorkerClient {
  private base: Float32Array;
  private readonly delta: Float32Array;
  private clock = 0;
  private readonly versions: Float64Array;

  constructor(
    private readonly owner: string,
    private readonly transport: Transport,
    private readonly shards: readonly Shard[],
    initial: Float32Array,
  ) {
    this.base = initial.slice();
    this.delta = new Float32Array(initial.length);
    this.versions = new Float64Array(shards.length);
  }

  /** Push this step's change and pull the servers' parameters into `parameters`. */
  async step(parameters: Float32Array, ctx: StepContext, options?: CallOptions): Promise<void> {
    const delta = this.delta;
    for (let i = 0; i < parameters.length; i++) delta[i] = parameters[i]! - this.base[i]!;
    let ahead = 0;
    let staleness = 0;
    let dropped = 0;
    await Promise.all(
      this.shards.map(async (shard, s) => {
        const values = delta.subarray(shard.offset, shard.offset + shard.length);
        const header = await this.request(shard, [RequestKind.Push, this.clock, this.versions[s]!, 0], values, parameters, options);
        this.versions[s] = header[2]!;
        ahead = Math.max(ahead, header[0]! - header[1]!);
        if (header[3]! < 0) dropped = 1;
        else staleness = Math.max(staleness, header[3]!);
      }),
    );
    this.clock++;
    this.base.set(parameters);
    ctx.trace('ahead', ahead);
    ctx.trace(dropped ? 'dropped' : 'staleness', dropped ? 1 : staleness);
  }

  /**
   * Tell every server this worker pauses (or is done) and wait for its answer, which comes when
   * every worker has done the same. On `done` the final server parameters are written to
   * `parameters`; on a pause they are left as they are, so the next push is still relative to them.
   */
  async end(kind: RequestKind.Pause | RequestKind.Done, parameters: Float32Array | undefined, options?: CallOptions): Promise<void> {
    const none = new Float32Array(0);
    await Promise.all(this.shards.map((shard) => this.request(shard, [kind, this.clock, 0, 0], none, kind === RequestKind.Done ? parameters : undefined, options)));
    if (kind === RequestKind.Done && parameters) this.base.set(parameters);
  }

  snapshot(): Snapshot {
    return { base: this.base.slice(), clock: this.clock, versions: this.versions.slice() };
  }

  restore(snapshot: Snapshot): void {
    const fields = new StateFields(this.owner, snapshot);
    this.base = fields.float32('base', this.base.length).slice();
    this.clock = fields.integer('clock');
    this.versions.set(fields.float64('versions', this.versions.length));
  }

  /** Send one request to `shard`'s server and wait for the answer; write its values into `into`, if given. */
  private async request(
    shard: Shard,
    header: [number, number, number, number],
    values: Float32Array,
    into: Float32Array | undefined,
    options?: CallOptions,
  ): Promise<Float64Array> {
    const { transport } = this;
    await transport.send(shard.server, SYNC_POLICY_TAGS.serverRequest, encodeMessage(header, values), options);
    const answer = decodeMessage(await transport.recv(shard.server, SYNC_POLICY_TAGS.serverReply, options), shard.length, `server ${shard.server}`);
    if (into) {
      if (into.length < shard.offset + shard.length) throw new StateError(`${this.owner}: parameters of ${into.length} values do not hold shard [${shard.offset}, ${shard.offset + shard.length})`);
      into.set(answer.values, shard.offset);
    }
    return answer.header;
  }
}
