import type { Snapshot } from '@syncopate/core';
import type { ShardState, UpdateRule } from './update-rule.js';

/**
 * Stale-synchronous parallel (and, with an infinite bound, fully asynchronous) updates: every
 * delta is applied the moment it arrives, scaled by `scale`; the worker that pushed it is answered
 * once the slowest worker has pushed at least (its clock − `staleness`) times, so no worker ever
 * starts a step more than `staleness` steps ahead of the slowest (Ho et al., NIPS 2013).
 */
export class StalenessRule implements UpdateRule {
  private readonly staleness = new Map<number, number>();

  constructor(
    private readonly bound: number,
    private readonly scale: number,
  ) {}

  push(state: ShardState, worker: number, delta: Float32Array, baseVersion: number): number {
    const x = state.parameters;
    for (let i = 0; i < x.length; i++) x[i] = x[i]! + this.scale * delta[i]!;
    const staleness = Math.max(0, state.version - baseVersion);
    state.version++;
    this.staleness.set(worker, staleness);
    return staleness;
  }

  mayAnswer(state: ShardState, worker: number): boolean {
    if (this.bound === Infinity) return true;
    let slowest = Infinity;
    for (const clock of state.clocks.values()) slowest = Math.min(slowest, clock);
    return slowest >= (state.clocks.get(worker) ?? 0) - this.bound;
  }

  activeChanged(): void {}

  appliedStaleness(worker: number): number | undefined {
    return this.staleness.get(worker);
  }

  snapshot(): Snapshot {
    return {};
  }

  restore(): void {}
}
