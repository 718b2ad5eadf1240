/**
 * The sync-policy contract must be able to fail: a small reference policy passes it, and each
 * deliberately broken variant fails the check that guards its defect. (The built-in policies run
 * the contract in packages/trainer/test/contracts/, which may import every package; importing
 * @syncopate/sync-policy here would make a dependency cycle as soon as sync-policy's own tests
 * use this package.)
 */
import {
  Exchange,
  Scheduler,
  StateError,
  SyncPolicy,
  knownOptions,
  numberOption,
  type Bucket,
  type PluginSpec,
  type Snapshot,
  type StepContext,
  type SyncOutcome,
} from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { syncPolicyContract, type SyncPolicyContractOptions } from './policy-contract.js';

type Defect =
  | 'none'
  | 'rank-dependent-order'
  | 'only-rank-zero'
  | 'drops-signal'
  | 'disagreeing-outcome'
  | 'hidden-state'
  | 'aliased-snapshot'
  | 'unawaited-finish'
  | 'silent'
  | 'unfrozen-spec'
  | 'unchecked-options';

interface ReferenceOptions {
  readonly period?: number;
  readonly stream?: 'parameter' | 'delta';
}

/** Averages the parameters (or the change since the last average) every `period` steps, bucket by bucket. */
class Reference implements SyncPolicy {
  readonly name = 'reference';
  private anchor: Float32Array | undefined;
  private calls = 0;
  private buckets: readonly Bucket[] = [];

  constructor(
    private readonly period: number,
    private readonly delta: boolean,
    private readonly defect: Defect,
    private readonly exchange: Exchange,
    private readonly scheduler: Scheduler,
  ) {}

  init(parameters: Float32Array, ctx: StepContext): void {
    const plan = this.scheduler.plan(ctx.layout);
    this.buckets = plan.order.map((i) => plan.buckets[i]!);
    if (this.delta) this.anchor = parameters.slice();
  }

  async onGradients(): Promise<void> {}

  async onParameters(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome> {
    const due = this.defect === 'hidden-state' ? ++this.calls % this.period === 0 : (ctx.step + 1) % this.period === 0;
    if (this.defect === 'silent' || !due) return { synced: false };
    if (this.defect === 'only-rank-zero' && ctx.rank !== 0) return { synced: false };
    await this.average(parameters, ctx);
    return { synced: this.defect === 'disagreeing-outcome' ? ctx.rank === 0 : true };
  }

  async finish(parameters: Float32Array, ctx: StepContext): Promise<void> {
    if (this.defect === 'silent' || (ctx.step + 1) % this.period === 0) return;
    if (this.defect === 'only-rank-zero' && ctx.rank !== 0) return;
    const done = this.average(parameters, ctx);
    if (this.defect !== 'unawaited-finish') await done;
  }

  snapshot(): Snapshot {
    if (!this.delta) return {};
    return { anchor: this.defect === 'aliased-snapshot' ? this.anchor! : this.anchor!.slice() };
  }

  restore(snapshot: Snapshot): void {
    if (!this.delta) return;
    if (!(snapshot.anchor instanceof Float32Array)) throw new StateError("reference: snapshot field 'anchor' must be a Float32Array");
    this.anchor = snapshot.anchor.slice();
  }

  private async average(parameters: Float32Array, ctx: StepContext): Promise<void> {
    const buckets = this.defect === 'rank-dependent-order' && ctx.rank % 2 === 1 ? [...this.buckets].reverse() : this.buckets;
    const options = this.defect === 'drops-signal' ? undefined : { signal: ctx.signal! };
    const anchor = this.anchor;
    if (anchor) for (let i = 0; i < parameters.length; i++) parameters[i] = parameters[i]! - anchor[i]!;
    const stream = anchor ? 'delta' : 'parameter';
    await Promise.all(buckets.map((bucket) => this.exchange.run(parameters, { stream, step: ctx.step, bucket }, options)));
    if (anchor) {
      for (let i = 0; i < parameters.length; i++) parameters[i] = anchor[i]! + parameters[i]!;
      anchor.set(parameters);
    }
  }
}

function reference(defect: Defect) {
  return (options: ReferenceOptions = {}): PluginSpec => {
    if (defect !== 'unchecked-options') knownOptions('reference', options, ['period', 'stream']);
    const resolved = Object.freeze({
      period: numberOption('reference', 'period', options.period, { min: 1, integer: true }, 3),
      stream: options.stream ?? 'parameter',
    });
    const spec: PluginSpec = {
      kind: 'sync-policy',
      name: 'reference',
      options: resolved,
      register(registrar) {
        registrar.register(SyncPolicy, {
          useFactory: (resolver) => new Reference(resolved.period, resolved.stream === 'delta', defect, resolver.resolve(Exchange), resolver.resolve(Scheduler)),
        });
      },
    };
    return defect === 'unfrozen-spec' ? spec : Object.freeze(spec);
  };
}

/** The contract's failing cases, by name, with their messages. */
async function failures(defect: Defect, options: SyncPolicyContractOptions<ReferenceOptions> = {}): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  const contract = syncPolicyContract(reference(defect), { invalidOptions: [{ options: { period: 0 }, option: 'period' }], consensus: 'sync', ...options });
  for (const c of contract) {
    try {
      await c.run();
    } catch (error) {
      failed.set(c.name, String(error));
    }
  }
  return failed;
}

const names = (failed: Map<string, string>) => [...failed.keys()];

describe('syncPolicyContract', () => {
  it('passes a correct policy, stateless or with a checkpointed anchor', async () => {
    expect(names(await failures('none'))).toEqual([]);
    expect(names(await failures('none', { options: { period: 4, stream: 'delta' } }))).toEqual([]);
  });

  it('catches ranks that send their buckets in different orders', async () => {
    const failed = await failures('rank-dependent-order');
    expect(failed.get('makes the same exchanges, in the same order, on every one of 4 ranks')).toMatch(/ranks disagree on exchange #\d+: rank 0: parameter@2 \[12\+4\]/);
  });

  it('catches a rank that skips an exchange the others make, as a deadlock naming each rank', async () => {
    const failed = await failures('only-rank-zero');
    const message = failed.get('makes the same exchanges, in the same order, on every one of 4 ranks');
    expect(message).toMatch(/stopped meeting in the exchange/);
    expect(message).toMatch(/rank 0: in onParameters@2, 2 exchanges issued, waiting on exchange #1 \(parameter@2 \[0\+12\] all\/mean\)/);
    expect(message).toMatch(/rank 1: finished after 0 exchanges/);
  });

  it("catches exchanges made without the step's AbortSignal", async () => {
    expect(names(await failures('drops-signal'))).toEqual(["hands the step's AbortSignal to every exchange"]);
  });

  it('catches ranks that disagree on whether they synced', async () => {
    expect(names(await failures('disagreeing-outcome'))).toEqual(['reports the same synced outcome on every rank at every step']);
  });

  it('catches state that a checkpoint does not hold', async () => {
    expect(names(await failures('hidden-state'))).toEqual(['continues bit for bit in fresh instances restored from a checkpoint after step 5']);
  });

  it('catches a snapshot that aliases live state', async () => {
    const failed = await failures('aliased-snapshot', { options: { period: 4, stream: 'delta' } });
    expect(names(failed)).toEqual(['continues bit for bit in fresh instances restored from a checkpoint after step 5']);
  });

  it('catches a finish that does not await its exchange', async () => {
    const failed = await failures('unawaited-finish');
    expect(failed.get('leaves no exchange in flight after finish, nor after settle when a run pauses')).toMatch(/rank 0: 2 exchange\(s\) still in flight after finish/);
    // Its ranks then stop with parameters the exchange has not written yet.
    expect(names(failed)).toContain('leaves every rank with the same parameters after every synced step and after finish');
  });

  it('catches a policy that never brings the ranks together', async () => {
    const failed = await failures('silent');
    expect(names(failed)).toEqual([
      'brings the ranks closer together than training without communication',
      'leaves every rank with the same parameters after every synced step and after finish',
    ]);
    expect(failed.get('leaves every rank with the same parameters after every synced step and after finish')).toMatch(/after finish: parameter \d+ is .* on rank 0 but .* on rank 1/);
  });

  it('catches an unfrozen spec and unchecked options', async () => {
    expect(names(await failures('unfrozen-spec'))).toEqual(['is an inert, frozen sync-policy spec that builds a fresh policy per composition']);
    const failed = await failures('unchecked-options');
    expect(names(failed)).toEqual(['validates its options at once, with an OptionError naming the option']);
    expect(failed.get('validates its options at once, with an OptionError naming the option')).toMatch(/expected OptionError, but nothing was thrown/);
  });

  it('catches an invalid option that is accepted, or refused naming another option', async () => {
    const accepted = await failures('none', { invalidOptions: [{ options: { period: 2 }, option: 'period' }] });
    expect(names(accepted)).toEqual(['validates its options at once, with an OptionError naming the option']);
    const misnamed = await failures('none', { invalidOptions: [{ options: { period: -1 }, option: 'stream' }] });
    expect(misnamed.get('validates its options at once, with an OptionError naming the option')).toMatch(/names 'period', expected 'stream'/);
  });

  it('runs a gossip policy on the ring with pattern neighbours, without a consensus promise', async () => {
    const gossip = (options: Record<string, never> = {}): PluginSpec => {
      knownOptions('gossip', options, []);
      return Object.freeze<PluginSpec>({
        kind: 'sync-policy',
        name: 'gossip',
        options: Object.freeze({}),
        register(registrar) {
          registrar.register(SyncPolicy, {
            useFactory: (resolver) => {
              const exchange = resolver.resolve(Exchange);
              return {
                name: 'gossip',
                onGradients: async () => undefined,
                onParameters: async (parameters: Float32Array, ctx: StepContext) => {
                  await exchange.run(parameters, { stream: 'parameter', step: ctx.step, pattern: 'neighbours' }, { signal: ctx.signal! });
                  return { synced: true };
                },
              };
            },
          });
        },
      });
    };
    const run = async (consensus: 'none' | 'sync') => {
      const failed: string[] = [];
      for (const c of syncPolicyContract(gossip, { consensus })) await Promise.resolve().then(c.run).catch(() => failed.push(c.name));
      return failed;
    };
    expect(await run('none')).toEqual([]);
    expect(await run('sync')).toEqual(['leaves every rank with the same parameters after every synced step and after finish']);
  });
});
