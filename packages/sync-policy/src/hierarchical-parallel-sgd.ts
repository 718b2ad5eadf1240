import {
  Exchange,
  StateError,
  SyncPolicy,
  Transport,
  knownOptions,
  numberOption,
  type PluginSpec,
  type Snapshot,
  type StepContext,
  type SyncOutcome,
} from '@syncopate/core';
import { callOptions } from './internal/call-options.js';
import { InFlight } from './internal/in-flight.js';
import { StateFields } from './internal/state-fields.js';
import { allRanksAgree } from './rank-agreement.js';
import { GUARANTEES } from './guarantees.js';

/** Options of {@link hierarchicalParallelSgd}. */
export interface HierarchicalParallelSgdOptions {
  /**
   * Syncs between an average being started and being merged into the global model: 1 (default,
   * the paper) merges the previous sync's average when the next one starts, so communication
   * overlaps local training; 0 waits for the average at once and merges it, which reproduces local
   * SGD's model average exactly (the paper's Eq. 2), without overlap.
   */
  readonly delay?: number;
  /**
   * 0 (default, the paper): start a sync whenever the last one has finished on every rank (the
   * paper's "sync whenever possible"; the number of local steps per sync then follows the ratio of
   * communication to computation time). Ranks agree with a one-byte message per rank pair, posted at
   * each step boundary and read at the next one, so it travels while the next step computes; a sync
   * therefore starts one step after every rank has seen the last one land. τ ≥ 1: start one every
   * τ steps instead, waiting for the previous one if it is still running — deterministic, for
   * reproducible runs and checkpoints.
   */
  readonly period?: number;
}

/**
 * HPSGD, hierarchical parallel SGD with stale gradients (Zhou, Ye, Zhang & Lv, "HPSGD:
 * Hierarchical Parallel SGD With Stale Gradients Featuring", arXiv 2020; Algorithms 2 and 3).
 *
 * Every rank trains a replica of a global model W (identical on all ranks) while the average of
 * its previous window of updates is in flight. The trainer's parameters are the replica. When a
 * sync starts (after the window's last local step):
 *
 *   D = replica − W                  (the window's accumulated update, Σ −γ·g for plain SGD)
 *   delay 1:  W ← W + R_prev;  start averaging D over ranks, R ← mean(D) when it lands
 *   delay 0:  W ← W + mean(D)         (waits)
 *   replica ← W                       (re-cloned; its local progress lives on in D)
 *
 * With delay 1 the global update is always one sync behind the average it applies — the paper's
 * "stale" (the authors say "advanced") gradients — and nothing waits for the network unless a sync
 * takes longer than a window. D travels as stream `delta` through the exchange. Parameters are
 * identical on every rank right after each sync (`synced: true`).
 *
 * State: W, the in-flight buffer and the window length are checkpointed; `settle` (called when a
 * run pauses) waits for the average in flight so a snapshot can hold its result.
 */
export class HierarchicalParallelSgd implements SyncPolicy {
  readonly name = 'hierarchicalParallelSgd';
  private global: Float32Array | undefined;
  private send: Float32Array | undefined;
  private inFlight: InFlight | undefined;
  private window = 0;
  /** The agreement posted at the last step boundary ("the sync in flight had landed on every rank"), read at the next. */
  private agreement: Promise<boolean> | undefined;
  /** The agreement's answer once it has arrived (what a snapshot keeps). */
  private agreed: boolean | undefined;

  constructor(
    private readonly options: Required<HierarchicalParallelSgdOptions>,
    private readonly exchange: Exchange,
    private readonly transport?: Transport,
  ) {}

  init(parameters: Float32Array): void {
    this.global = parameters.slice();
    this.send = new Float32Array(parameters.length);
    this.inFlight = undefined;
    this.window = 0;
    this.agreement = undefined;
    this.agreed = undefined;
  }

  async onGradients(): Promise<void> {}

  async onParameters(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome> {
    const { global, send } = this.buffers(parameters);
    this.window++;
    const start = this.options.period > 0 ? this.window >= this.options.period : await this.lastSyncFinished();
    ctx.trace('window', this.window);
    if (!start) {
      this.postAgreement(ctx);
      return { synced: false };
    }
    if (this.inFlight) await this.inFlight.wait();
    const hasResult = this.inFlight !== undefined;
    for (let i = 0; i < parameters.length; i++) {
      const delta = parameters[i]! - global[i]!;
      if (hasResult) global[i] = global[i]! + send[i]!;
      send[i] = delta;
    }
    const averaging = this.exchange.run(send, { stream: 'delta', step: ctx.step }, callOptions(ctx));
    this.inFlight = new InFlight(ctx.step, averaging);
    if (this.options.delay === 0) {
      await this.inFlight.wait();
      for (let i = 0; i < global.length; i++) global[i] = global[i]! + send[i]!;
      this.inFlight = undefined;
    }
    parameters.set(global);
    this.window = 0;
    this.postAgreement(ctx);
    return { synced: true };
  }

  /** Wait for the average and the agreement in flight and keep both; the average is merged when the next sync starts. */
  async settle(): Promise<void> {
    await this.inFlight?.wait();
    if (!this.agreement) return;
    this.agreed = await this.agreement;
    this.agreement = Promise.resolve(this.agreed);
  }

  /** Merge the average in flight, then average what was trained since the last sync: every rank ends on W. */
  async finish(parameters: Float32Array, ctx: StepContext): Promise<void> {
    const { global, send } = this.buffers(parameters);
    await this.agreement; // every rank posted one: drain it before the last exchange
    this.agreement = undefined;
    if (this.inFlight) await this.inFlight.wait();
    const hasResult = this.inFlight !== undefined;
    for (let i = 0; i < parameters.length; i++) {
      const delta = parameters[i]! - global[i]!;
      if (hasResult) global[i] = global[i]! + send[i]!;
      send[i] = delta;
    }
    this.inFlight = undefined;
    if (this.window > 0) {
      await this.exchange.run(send, { stream: 'delta', step: ctx.step }, callOptions(ctx));
      for (let i = 0; i < global.length; i++) global[i] = global[i]! + send[i]!;
      this.window = 0;
    }
    parameters.set(global);
  }

  snapshot(): Snapshot {
    const { global, send } = this.buffers();
    if (this.inFlight && !this.inFlight.done) {
      throw new StateError(`${this.name}: the average started at step ${this.inFlight.step} is still in flight; pause with fit({ stopAtStep }), which settles it, before saving`);
    }
    const snapshot = { global: global.slice(), send: send.slice(), pending: this.inFlight !== undefined, pendingStep: this.inFlight?.step ?? -1, window: this.window };
    if (!this.agreement) return snapshot;
    if (this.agreed === undefined) throw new StateError(`${this.name}: the agreement posted at the last step is still in flight; pause with fit({ stopAtStep }), which settles it, before saving`);
    return { ...snapshot, agreed: this.agreed };
  }

  restore(snapshot: Snapshot): void {
    const fields = new StateFields(this.name, snapshot);
    const global = fields.float32('global', this.global?.length);
    this.global = global.slice();
    this.send = fields.float32('send', global.length).slice();
    const pending = fields.boolean('pending');
    const pendingStep = fields.integer('pendingStep', -1);
    this.inFlight = pending ? InFlight.restored(pendingStep) : undefined;
    this.window = fields.integer('window');
    this.agreed = snapshot.agreed === undefined ? undefined : fields.boolean('agreed');
    this.agreement = this.agreed === undefined ? undefined : Promise.resolve(this.agreed);
  }

  /**
   * Whether every rank's last average had landed at the previous step boundary (true before the
   * first one): the answer of the agreement posted there, or this rank's own state without a
   * transport or before any agreement was posted (every rank then holds the same).
   */
  private async lastSyncFinished(): Promise<boolean> {
    const posted = this.agreement;
    this.agreement = undefined;
    this.agreed = undefined;
    if (posted) return posted;
    return this.inFlight === undefined || this.inFlight.done;
  }

  /** Post this boundary's flag (the average in flight has landed here) without waiting for the answer. */
  private postAgreement(ctx: StepContext): void {
    if (!this.transport || this.options.period > 0) return;
    const done = this.inFlight === undefined || this.inFlight.done;
    const agreement = allRanksAgree(this.transport, done, callOptions(ctx));
    agreement.then((agreed) => {
      if (this.agreement === agreement) this.agreed = agreed;
    }, () => undefined);
    this.agreement = agreement;
  }

  private buffers(like?: Float32Array): { global: Float32Array; send: Float32Array } {
    if (!this.global || !this.send) {
      if (!like) throw new StateError(`${this.name}: no state before init`);
      this.init(like);
    }
    return { global: this.global!, send: this.send! };
  }
}

/**
 * HPSGD: local training on a replica while the previous sync's average is in flight, merged one
 * sync late; syncs start whenever the last one finished (or every `period` steps).
 *
 * @example
 * ```ts
 * plugins: [hierarchicalParallelSgd()]                        // the paper: delay 1, sync when idle
 * plugins: [hierarchicalParallelSgd({ delay: 1, period: 4 })] // deterministic windows of 4 steps
 * ```
 */
export function hierarchicalParallelSgd(options: HierarchicalParallelSgdOptions = {}): PluginSpec<Required<HierarchicalParallelSgdOptions>> {
  const owner = 'hierarchicalParallelSgd';
  knownOptions(owner, options, ['delay', 'period']);
  const resolved = Object.freeze({
    delay: numberOption(owner, 'delay', options.delay, { min: 0, max: 1, integer: true }, 1),
    period: numberOption(owner, 'period', options.period, { min: 0, integer: true }, 0),
  });
  return Object.freeze({
    kind: 'sync-policy' as const,
    name: owner,
    options: resolved,
    provides: resolved.delay === 0 ? GUARANTEES.exact : GUARANTEES.lockstep,
    register(registrar) {
      registrar.register(SyncPolicy, {
        useFactory: (resolver) =>
          new HierarchicalParallelSgd(resolved, resolver.resolve(Exchange), resolved.period === 0 ? resolver.resolve(Transport) : undefined),
      });
    },
  } satisfies PluginSpec<Required<HierarchicalParallelSgdOptions>>);
}
