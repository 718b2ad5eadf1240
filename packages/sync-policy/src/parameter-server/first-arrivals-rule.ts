import { StateError, type Snapshot } from '@syncopate/core';
import type { ShardState, UpdateRule } from './update-rule.js';

/**
 * Synchronous updates with backup workers (Chen, Pan, Monga, Bengio & Jozefowicz, "Revisiting
 * Distributed Synchronous SGD", 2016): for each version of the parameters, the first `required`
 * deltas computed from that version are averaged and applied; deltas from an older version arrive
 * too late and are dropped, and their worker is answered at once with the newest parameters. While
 * workers pause or finish, the quorum shrinks to the workers still training, so the end of a run
 * never waits for pushes that will not come.
 */
export class FirstArrivalsRule implements UpdateRule {
  private sum: Float64Array;
  private readonly accepted = new Set<number>();
  private readonly staleness = new Map<number, number>();

  constructor(
    private readonly required: number,
    length: number,
  ) {
    this.sum = new Float64Array(length);
  }

  push(state: ShardState, worker: number, delta: Float32Array, baseVersion: number): number | undefined {
    if (baseVersion !== state.version || this.accepted.has(worker)) {
      this.staleness.set(worker, -1);
      return -1;
    }
    for (let i = 0; i < delta.length; i++) this.sum[i] = this.sum[i]! + delta[i]!;
    this.accepted.add(worker);
    this.staleness.delete(worker);
    this.applyWhenComplete(state);
    return this.staleness.get(worker);
  }

  mayAnswer(_state: ShardState, worker: number): boolean {
    return !this.accepted.has(worker);
  }

  activeChanged(state: ShardState): void {
    this.applyWhenComplete(state);
  }

  appliedStaleness(worker: number): number | undefined {
    return this.staleness.get(worker);
  }

  snapshot(): Snapshot {
    return { sum: this.sum.slice(), accepted: Float64Array.from([...this.accepted].sort((a, b) => a - b)) };
  }

  restore(snapshot: Snapshot): void {
    const sum = snapshot.sum;
    const accepted = snapshot.accepted;
    if (!(sum instanceof Float64Array) || sum.length !== this.sum.length || !(accepted instanceof Float64Array)) {
      throw new StateError(`backupWorkers: snapshot fields 'sum' (Float64Array of ${this.sum.length}) and 'accepted' (Float64Array) are required`);
    }
    this.sum = sum.slice();
    this.accepted.clear();
    for (const worker of accepted) this.accepted.add(worker);
  }

  private applyWhenComplete(state: ShardState): void {
    const count = this.accepted.size;
    if (count === 0 || count < Math.min(this.required, state.active.size)) return;
    const x = state.parameters;
    for (let i = 0; i < x.length; i++) x[i] = x[i]! + this.sum[i]! / count;
    state.version++;
    this.sum.fill(0);
    for (const worker of this.accepted) this.staleness.set(worker, 0);
    this.accepted.clear();
  }
}
