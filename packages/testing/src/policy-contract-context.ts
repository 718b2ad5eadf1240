import { SHARED_RANK, SyncPolicy, createRng, type ParamLayout, type PluginSpec, type StepContext } from '@syncopate/core';
import { instantiate, type CompressorContractService } from './compressor-contract-instantiate.js';

/** Where a {@link policyStepContext} is; every field but `step` has a default. */
export interface PolicyStepInit {
  readonly step: number;
  readonly rank?: number;
  readonly size?: number;
  /** Run seed of the randomness. Default 7. */
  readonly seed?: number;
  /** Base learning rate. Default 0.1. */
  readonly lr?: number;
  /** Steps per epoch, for `epoch`. Default 4. */
  readonly stepsPerEpoch?: number;
  readonly signal?: AbortSignal;
}

/**
 * A `StepContext` as the trainer makes one: randomness keyed by (seed, rank, step, stream), with
 * `shared` draws keyed by `SHARED_RANK`; traces are written into `traces`.
 *
 * @example
 * ```ts
 * const traces: Record<string, number> = {};
 * await policy.onParameters(parameters, policyStepContext(layout, { step: 3, rank: 1, size: 4 }, traces));
 * ```
 */
export function policyStepContext(layout: ParamLayout, at: PolicyStepInit, traces: Record<string, number> = {}): StepContext {
  const { step } = at;
  const rank = at.rank ?? 0;
  const seed = at.seed ?? 7;
  return {
    step,
    epoch: Math.floor(step / (at.stepsPerEpoch ?? 4)),
    lr: at.lr ?? 0.1,
    rank,
    size: at.size ?? 1,
    layout,
    ...(at.signal && { signal: at.signal }),
    rng: (stream, shared) => createRng({ seed, rank: shared ? SHARED_RANK : rank, step, stream }),
    trace: (name, value) => {
      traces[name] = value;
    },
  };
}

/**
 * A fresh `SyncPolicy` from a sync-policy spec, made as a trainer makes it (through `register`
 * and a resolver). `services` are what its factory resolves, e.g. `[Exchange, exchange]`.
 *
 * @example
 * ```ts
 * const group = recordingExchanges(2, () => ({ self: 1, receive: [], send: [] }));
 * const policy = instantiateSyncPolicy(localSgd({ period: 2 }), [[Exchange, group.ranks[0]]]);
 * ```
 */
export function instantiateSyncPolicy(spec: PluginSpec, services: readonly CompressorContractService[] = []): SyncPolicy {
  return instantiate(spec, SyncPolicy, services);
}
