import {
  Capabilities,
  CompositionError,
  Exchange,
  ProvidedCapabilities,
  SyncPolicy,
  type Requirement,
  type Resolver,
  type StepContext,
  type SyncOutcome,
} from '@syncopate/core';

/**
 * What an outer optimizer (SlowMo, BMUF) needs from the sync policy: every rank holding the exact
 * average at each sync it reports, or, failing that, a policy it can average itself every τ steps
 * (gossip: SGP, D-PSGD, the SlowMo paper's decentralized base algorithms).
 */
export function needsExactAverage(name: string): Requirement {
  return Object.freeze({
    capability: Capabilities.exactAverage,
    alternatives: Object.freeze([Capabilities.restartable]),
    from: 'sync-policy',
    reason:
      `${name}'s outer step assumes every rank holds the exact average of the parameters at a sync; ` +
      'a policy that only pushes or pulls its own changes (parameter server) or averages late (HPSGD delay 1, Overlap-Local-SGD) cannot give it',
  });
}

/**
 * The exact average an outer optimizer takes itself, every τ steps, when the sync policy does not
 * provide one but can continue from replaced parameters (gossip). After step t with
 * (t + 1) mod τ = 0 it waits for the policy's exchange in flight (`settle`), so that one
 * collective runs at a time and every rank issues them in the same order, then averages the
 * parameters over all ranks through the exchange, uncompressed (stream `parameter`: the
 * SlowMo paper's Exact-Average is an AllReduce). After the outer step, `restart` lets the policy
 * continue from the result.
 */
export class OwnExactAverage {
  constructor(
    /** τ: steps between two averages. */
    readonly period: number,
    private readonly exchange: Exchange,
    private readonly policy: SyncPolicy,
  ) {}

  /** Average on the last step of each period; `{ synced: true }` when it did. */
  async onStep(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome | undefined> {
    if ((ctx.step + 1) % this.period !== 0) return undefined;
    await this.policy.settle?.(ctx);
    await this.exchange.run(parameters, { stream: 'parameter', step: ctx.step, compress: false }, ctx.signal ? { signal: ctx.signal } : undefined);
    return { synced: true };
  }

  /** After the outer step: the policy continues from the (identical) new parameters. */
  async restart(parameters: Float32Array, ctx: StepContext): Promise<void> {
    await this.policy.restart!(parameters, ctx);
  }
}

/**
 * Where `name` gets its exact averages in the composition `resolver` describes: from the policy's
 * syncs (`undefined`: the policy provides `Capabilities.exactAverage`, or no trainer tells what is
 * provided, as in unit tests), or from an {@link OwnExactAverage} every `period` steps (the policy
 * is `Capabilities.restartable`). Anything else is refused with a `CompositionError` naming both
 * plugins (`createTrainer` checks the requirement first; this guards compositions built by hand).
 */
export function exactAverageSource(name: string, period: number, resolver: Resolver): OwnExactAverage | undefined {
  const provided = resolver.resolveOptional(ProvidedCapabilities);
  if (!provided || provided.has(Capabilities.exactAverage)) return undefined;
  const policy = resolver.resolve(SyncPolicy);
  if (!provided.has(Capabilities.restartable) || typeof policy.restart !== 'function') {
    throw new CompositionError(
      [name, policy.name],
      `momentum '${name}' needs a sync-policy with '${Capabilities.exactAverage}' or '${Capabilities.restartable}', but sync-policy '${policy.name}' provides neither`,
    );
  }
  return new OwnExactAverage(period, resolver.resolve(Exchange), policy);
}
