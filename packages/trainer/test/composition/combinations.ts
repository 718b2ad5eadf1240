/**
 * The composition matrix of issue #7, as data: every sync policy of `@syncopate/sync-policy` ×
 * {complete, ring, exponential graph} × {identity, fp16, QSGD, top-k + error feedback, PowerSGD,
 * sign + error feedback} × {no momentum, SlowMo}, on 4 ranks; plus the star topology, the one
 * the parameter-server policies (SSP, ASP, backup workers) can run on. `docs/compatibility.md` is generated
 * from this same enumeration (tools/compatibility/generate.mjs).
 *
 * The collective of a combination follows from the policy and the topology: a policy that asks
 * for gossip gets `neighbourAverage()` or `pushSum()` over the topology; every other policy gets
 * the allreduce that fits the graph (the complete graph: the transport's own; the ring:
 * `ringAllreduce()`; the exponential graph: `recursiveDoublingAllreduce()`, whose rounds pair
 * ranks 2^k apart, the graph's hops).
 */
import { nativeCollective, neighbourAverage, pushSum, recursiveDoublingAllreduce, ringAllreduce } from '@syncopate/collectives';
import { efSignSgd, errorFeedback, fp16, identity, powerSgd, qsgd, topK } from '@syncopate/compression';
import { Capabilities, type PluginSpec } from '@syncopate/core';
import { slowMo } from '@syncopate/momentum';
import * as syncPolicies from '@syncopate/sync-policy';
import { complete, exponentialGraph, ring, star } from '@syncopate/topology';

/** One sync policy of the matrix: the exported factory's name and the factory with the matrix's options. */
export interface PolicyEntry {
  /** The factory's name, as `@syncopate/sync-policy` exports it. */
  readonly factory: string;
  readonly make: () => PluginSpec;
}

/** One value of another dimension: a label for the table and the plugins it adds. */
export interface Entry {
  readonly label: string;
  readonly plugins: () => PluginSpec[];
}

/**
 * Every sync policy, with the options it runs with in the matrix (defaults, except where a
 * default period would not sync within 30 steps or would not be reproducible). A test checks that this list covers every
 * factory the package exports, so a new policy cannot be left out silently.
 */
export const POLICIES: readonly PolicyEntry[] = [
  { factory: 'bsp', make: () => syncPolicies.bsp() },
  { factory: 'localSgd', make: () => syncPolicies.localSgd({ period: 4, stream: 'delta' }) },
  { factory: 'postLocalSgd', make: () => syncPolicies.postLocalSgd({ switchStep: 10, period: 4, stream: 'delta' }) },
  { factory: 'adaptivePeriod', make: () => syncPolicies.adaptivePeriod({ warmupEpochs: 0, samplingSteps: 8 }) },
  // period 4, not the default 0 ("sync whenever the last one finished"): that start rule depends on
  // when an exchange settles in real time, so its losses vary with the machine's load, and
  // docs/compatibility.md must be reproducible.
  { factory: 'hierarchicalParallelSgd', make: () => syncPolicies.hierarchicalParallelSgd({ period: 4 }) },
  { factory: 'overlapLocalSgd', make: () => syncPolicies.overlapLocalSgd({ period: 4 }) },
  { factory: 'decentralizedSgd', make: () => syncPolicies.decentralizedSgd() },
  { factory: 'stochasticGradientPush', make: () => syncPolicies.stochasticGradientPush() },
  { factory: 'staleSynchronous', make: () => syncPolicies.staleSynchronous() },
  { factory: 'asynchronousParameterServer', make: () => syncPolicies.asynchronousParameterServer() },
  { factory: 'backupWorkers', make: () => syncPolicies.backupWorkers() },
];

export const TOPOLOGIES: readonly Entry[] = [
  { label: 'complete', plugins: () => [complete()] },
  { label: 'ring', plugins: () => [ring()] },
  { label: 'exponentialGraph', plugins: () => [exponentialGraph()] },
  // Beyond the three graphs: the parameter-server policies need server ranks.
  { label: 'star', plugins: () => [star()] },
];

export const COMPRESSORS: readonly Entry[] = [
  { label: 'identity', plugins: () => [identity()] },
  { label: 'fp16', plugins: () => [fp16()] },
  { label: 'qsgd', plugins: () => [qsgd()] },
  { label: 'topK + errorFeedback', plugins: () => [topK({ ratio: 0.25 }), errorFeedback()] },
  { label: 'powerSgd + errorFeedback', plugins: () => [powerSgd(), errorFeedback()] },
  { label: 'efSignSgd + errorFeedback', plugins: () => [efSignSgd(), errorFeedback()] },
];

export const MOMENTA: readonly Entry[] = [
  { label: 'none', plugins: () => [] },
  // τ = 10: over gossip SlowMo averages itself every τ steps; 48 (the default) would not act in 30 steps.
  { label: 'slowMo', plugins: () => [slowMo({ period: 10 })] },
];

/** One cell of the matrix. */
export interface Combination {
  readonly policy: PolicyEntry;
  readonly topology: Entry;
  readonly compressor: Entry;
  readonly momentum: Entry;
}

/** Every combination, policy-major, in a fixed order. */
export function combinations(policies: readonly PolicyEntry[] = POLICIES): Combination[] {
  return policies.flatMap((policy) =>
    TOPOLOGIES.flatMap((topology) => COMPRESSORS.flatMap((compressor) => MOMENTA.map((momentum) => ({ policy, topology, compressor, momentum })))),
  );
}

/**
 * Combinations that are neither refused by `createTrainer` nor train well today, each with the
 * reason and the package that should refuse them. The matrix test requires these to keep
 * misbehaving exactly as described (so a fix shows up as a failing test that asks for the entry
 * to be removed), and docs/compatibility.md lists them as known gaps.
 */
export interface KnownGap {
  readonly why: string;
  /** What is seen today: a run-time error, or a loss that rises. */
  readonly symptom: 'run-time error' | 'loss rises';
  readonly applies: (combination: Combination) => boolean;
}

/**
 * None today. (SlowMo over SSP and ASP, which diverged, is refused since SlowMo requires
 * `Capabilities.exactAverage` from the policy, or `Capabilities.restartable` to average itself.)
 */
export const KNOWN_GAPS: readonly KnownGap[] = [];

/** The known gap `combination` falls under, if any. */
export function knownGapOf(combination: Combination): KnownGap | undefined {
  return KNOWN_GAPS.find((gap) => gap.applies(combination));
}

/** The collective a policy gets on a topology (see the module comment). */
export function collectiveFor(policy: PluginSpec, topology: string): PluginSpec {
  const needs = new Set((policy.requires ?? []).map((r) => r.capability));
  if (needs.has(Capabilities.pushSum)) return pushSum();
  if (needs.has(Capabilities.neighbourAverage)) return neighbourAverage();
  if (topology === 'ring') return ringAllreduce();
  if (topology === 'exponentialGraph') return recursiveDoublingAllreduce();
  return nativeCollective();
}

/** The plugins of a combination, as `createTrainer` receives them. */
export function pluginsOf(combination: Combination): PluginSpec[] {
  const policy = combination.policy.make();
  return [
    ...combination.topology.plugins(),
    collectiveFor(policy, combination.topology.label),
    policy,
    ...combination.compressor.plugins(),
    ...combination.momentum.plugins(),
  ];
}

/**
 * The factories `@syncopate/sync-policy` exports at run time: every exported function that,
 * called with no options, returns a sync-policy spec or refuses with an option error (a required
 * option). Classes and helpers are left out.
 */
export function exportedPolicyFactories(): string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries(syncPolicies)) {
    // Factories take one optional options object (`length` 0); classes and helpers are skipped.
    if (typeof value !== 'function' || /^[A-Z]/.test(name) || value.length !== 0) continue;
    try {
      const spec = (value as () => unknown)() as Partial<PluginSpec> | undefined;
      if (spec?.kind === 'sync-policy') names.push(name);
    } catch (error) {
      if ((error as { code?: string }).code === 'OPTION') names.push(name);
    }
  }
  return names.sort();
}
