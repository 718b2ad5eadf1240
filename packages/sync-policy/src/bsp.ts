import {
  Exchange,
  Scheduler,
  SyncPolicy,
  knownOptions,
  type Bucket,
  type PluginSpec,
  type StepContext,
  type SyncOutcome,
} from '@syncopate/core';
import { bucketsInOrder } from './buckets.js';
import { GUARANTEES } from './guarantees.js';

/**
 * Bulk-synchronous parallel SGD (Valiant, "A bridging model for parallel computation", CACM 1990;
 * as synchronous data-parallel SGD in Dean et al., "Large scale distributed deep networks", NIPS
 * 2012, and Goyal et al., 2017): every step, every rank's gradient is averaged over all ranks
 * before the base optimizer applies it, so all ranks take the same step and keep identical
 * parameters. The SlowMo paper calls it AR-SGD.
 *
 * Gradients go through the exchange as stream `gradient`, one request per bucket of the
 * scheduler's plan, in plan order, so any compressor and error feedback compose with it.
 */
export class BulkSynchronousParallel implements SyncPolicy {
  readonly name = 'bsp';
  private buckets: readonly Bucket[] | undefined;

  constructor(
    private readonly exchange: Exchange,
    private readonly scheduler?: Scheduler,
  ) {}

  init(_parameters: Float32Array, ctx: StepContext): void {
    this.buckets = bucketsInOrder(ctx.layout, this.scheduler);
  }

  async onGradients(gradients: Float32Array, ctx: StepContext): Promise<void> {
    const buckets = (this.buckets ??= bucketsInOrder(ctx.layout, this.scheduler));
    const options = ctx.signal ? { signal: ctx.signal } : undefined;
    await Promise.all(buckets.map((bucket) => this.exchange.run(gradients, { stream: 'gradient', step: ctx.step, bucket }, options)));
  }

  async onParameters(): Promise<SyncOutcome> {
    return { synced: true };
  }
}

/**
 * BSP: average gradients over all ranks every step.
 *
 * @example
 * ```ts
 * createTrainer({ transport, model, data, plugins: [bsp()] }); // also the default policy
 * ```
 */
export function bsp(options: Record<string, never> = {}): PluginSpec<Record<string, never>> {
  knownOptions('bsp', options, []);
  const spec: PluginSpec<Record<string, never>> = {
    kind: 'sync-policy',
    name: 'bsp',
    options: Object.freeze({}),
    provides: GUARANTEES.exact,
    register(registrar) {
      registrar.register(SyncPolicy, {
        useFactory: (resolver) => new BulkSynchronousParallel(resolver.resolve(Exchange), resolver.resolveOptional(Scheduler)),
      });
    },
  };
  return Object.freeze(spec);
}
