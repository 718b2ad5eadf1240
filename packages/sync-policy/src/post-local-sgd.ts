import {
  Exchange,
  OptionError,
  Scheduler,
  SyncPolicy,
  choiceOption,
  knownOptions,
  numberOption,
  type Bucket,
  type PluginSpec,
  type Snapshot,
  type StepContext,
  type SyncOutcome,
} from '@syncopate/core';
import { BulkSynchronousParallel } from './bsp.js';
import { bucketsInOrder } from './buckets.js';
import { callOptions } from './internal/call-options.js';
import { StateFields } from './internal/state-fields.js';
import { GUARANTEES } from './guarantees.js';

/** Options of {@link postLocalSgd}. */
export interface PostLocalSgdOptions {
  /** H: local steps between two averagings once switched, an integer ≥ 1. Default 16. */
  readonly period?: number;
  /** Switch to local SGD at this global step (an integer ≥ 0). */
  readonly switchStep?: number;
  /** Switch to local SGD at the first step of this epoch (an integer ≥ 0). */
  readonly switchEpoch?: number;
  /**
   * What travels in the local phase, as in `localSgd`: `parameter` (default) or `delta`, the
   * model change since the last averaging.
   */
  readonly stream?: 'parameter' | 'delta';
}

/** {@link PostLocalSgdOptions} after validation. `switchAt` says which switch rule is in force. */
export interface ResolvedPostLocalSgdOptions {
  readonly period: number;
  readonly switchAt: 'step' | 'epoch' | 'lr-decay';
  /** The step or epoch of the switch; -1 for `lr-decay`. */
  readonly switchValue: number;
  readonly stream: 'parameter' | 'delta';
}

/**
 * Post-local SGD (Lin, Stich, Patel & Jaggi, "Don't use large mini-batches, use local SGD",
 * ICLR 2020): mini-batch SGD first — gradients averaged over all ranks every step, as in BSP —
 * then, from the switch on, local SGD: every rank takes H steps on its own data and the ranks
 * average their parameters, x ← (1/n) Σᵢ xᵢ, after every step t with (t + 1 − s) mod H = 0, where
 * s is the switch step. The first phase finds the basin cheaply and stably; the second injects
 * noise that helps generalisation and communicates H times less.
 *
 * The switch is a given step, a given epoch, or — by default, the paper's choice — the first step
 * whose learning rate is lower than the previous step's (the first learning-rate decay).
 * Parameters are identical on every rank at the switch, so local SGD starts from a common point.
 */
export class PostLocalSgd implements SyncPolicy {
  readonly name = 'postLocalSgd';
  private readonly synchronous: BulkSynchronousParallel;
  private buckets: readonly Bucket[] | undefined;
  private switchedAt = -1;
  private lastLr = NaN;
  private anchor: Float32Array | undefined;

  constructor(
    private readonly options: ResolvedPostLocalSgdOptions,
    private readonly exchange: Exchange,
    private readonly scheduler?: Scheduler,
  ) {
    this.synchronous = new BulkSynchronousParallel(exchange, scheduler);
  }

  init(parameters: Float32Array, ctx: StepContext): void {
    this.synchronous.init(parameters, ctx);
    this.buckets = bucketsInOrder(ctx.layout, this.scheduler);
    if (this.options.stream === 'delta') this.anchor = parameters.slice();
  }

  /** The step local SGD started at, or -1 while still synchronous. */
  get switchStep(): number {
    return this.switchedAt;
  }

  async onGradients(gradients: Float32Array, ctx: StepContext): Promise<void> {
    if (this.switchedAt < 0 && this.switchesAt(ctx)) this.switchedAt = ctx.step;
    this.lastLr = ctx.lr;
    ctx.trace('phase', this.switchedAt < 0 ? 0 : 1);
    if (this.switchedAt < 0) await this.synchronous.onGradients(gradients, ctx);
  }

  async onParameters(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome> {
    if (this.switchedAt < 0) {
      // x₀ of the `delta` stream: the last synchronous parameters, identical on every rank.
      this.anchor?.set(parameters);
      return { synced: true };
    }
    if ((ctx.step + 1 - this.switchedAt) % this.options.period !== 0) return { synced: false };
    await this.average(parameters, ctx);
    return { synced: true };
  }

  /** Average once more if local steps were taken since the last averaging, so every rank ends equal. */
  async finish(parameters: Float32Array, ctx: StepContext): Promise<void> {
    if (this.switchedAt >= 0 && (ctx.step + 1 - this.switchedAt) % this.options.period !== 0) await this.average(parameters, ctx);
  }

  snapshot(): Snapshot {
    return {
      switchedAt: this.switchedAt,
      lastLr: Number.isNaN(this.lastLr) ? -1 : this.lastLr,
      ...(this.anchor && { anchor: this.anchor.slice() }),
    };
  }

  restore(snapshot: Snapshot): void {
    const fields = new StateFields(this.name, snapshot);
    this.switchedAt = fields.number('switchedAt', (n) => Number.isInteger(n) && n >= -1, 'an integer >= -1');
    const lastLr = fields.number('lastLr');
    this.lastLr = lastLr < 0 ? NaN : lastLr;
    this.anchor = this.options.stream === 'delta' ? fields.float32('anchor', this.anchor?.length).slice() : undefined;
  }

  private switchesAt(ctx: StepContext): boolean {
    const { switchAt, switchValue } = this.options;
    if (switchAt === 'step') return ctx.step >= switchValue;
    if (switchAt === 'epoch') return ctx.epoch >= switchValue;
    return ctx.lr < this.lastLr;
  }

  private async average(parameters: Float32Array, ctx: StepContext): Promise<void> {
    const buckets = (this.buckets ??= bucketsInOrder(ctx.layout, this.scheduler));
    const options = callOptions(ctx);
    const anchor = this.anchor;
    if (!anchor) {
      await Promise.all(buckets.map((bucket) => this.exchange.run(parameters, { stream: 'parameter', step: ctx.step, bucket }, options)));
      return;
    }
    for (let i = 0; i < parameters.length; i++) parameters[i] = parameters[i]! - anchor[i]!;
    await Promise.all(buckets.map((bucket) => this.exchange.run(parameters, { stream: 'delta', step: ctx.step, bucket }, options)));
    for (let i = 0; i < parameters.length; i++) parameters[i] = anchor[i]! + parameters[i]!;
    anchor.set(parameters);
  }
}

/**
 * Post-local SGD: synchronous SGD until the switch, then local SGD with period H.
 *
 * @example
 * ```ts
 * plugins: [postLocalSgd({ period: 16 })]                    // switch at the first LR decay
 * plugins: [postLocalSgd({ period: 8, switchEpoch: 150 })]   // or at a given epoch
 * ```
 */
export function postLocalSgd(options: PostLocalSgdOptions = {}): PluginSpec<ResolvedPostLocalSgdOptions> {
  const owner = 'postLocalSgd';
  knownOptions(owner, options, ['period', 'switchStep', 'switchEpoch', 'stream']);
  if (options.switchStep !== undefined && options.switchEpoch !== undefined) {
    throw new OptionError(owner, 'switchStep', "and 'switchEpoch' cannot both be given; give one, or neither to switch at the first learning-rate decay");
  }
  const switchAt = options.switchStep !== undefined ? 'step' : options.switchEpoch !== undefined ? 'epoch' : 'lr-decay';
  const resolved: ResolvedPostLocalSgdOptions = Object.freeze({
    period: numberOption(owner, 'period', options.period, { min: 1, integer: true }, 16),
    switchAt,
    switchValue:
      switchAt === 'step'
        ? numberOption(owner, 'switchStep', options.switchStep, { min: 0, integer: true })
        : switchAt === 'epoch'
          ? numberOption(owner, 'switchEpoch', options.switchEpoch, { min: 0, integer: true })
          : -1,
    stream: choiceOption(owner, 'stream', options.stream, ['parameter', 'delta'] as const, 'parameter'),
  });
  return Object.freeze({
    kind: 'sync-policy' as const,
    name: owner,
    options: resolved,
    provides: GUARANTEES.exact,
    register(registrar) {
      registrar.register(SyncPolicy, {
        useFactory: (resolver) => new PostLocalSgd(resolved, resolver.resolve(Exchange), resolver.resolveOptional(Scheduler)),
      });
    },
  } satisfies PluginSpec<ResolvedPostLocalSgdOptions>);
}
