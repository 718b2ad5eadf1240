import { OptionError } from '@syncopate/core';
import { LocalTransport } from '../local-transport.js';
import type { SimulatedEndpoint } from './simulated-endpoint.js';

/** Modelled compute time of `rank` at `step`, in ms. */
export type ComputeTime = (rank: number, step: number) => number;

/**
 * A rank of a simulated network: a `Transport` whose `clock` is the network's virtual time, plus
 * calls that spend virtual time on modelled compute, so a test can place stragglers.
 */
export class SimulatedTransport extends LocalTransport {
  constructor(
    private readonly simulated: SimulatedEndpoint,
    private readonly computeTime: ComputeTime,
    group: readonly number[],
    context: number,
  ) {
    super(simulated, 'local-simulated', group, context);
  }

  /**
   * Spends `ms` of virtual time on this rank, as compute would; messages keep flowing meanwhile.
   *
   * @example
   * ```ts
   * await transport.advance(rank === 3 ? 40 : 10); // rank 3 is a straggler
   * ```
   */
  advance(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      return Promise.reject(new OptionError('SimulatedTransport.advance', 'ms', `must be a finite number >= 0, got ${String(ms)}`));
    }
    return this.simulated.sleep(ms);
  }

  /** Spends the network's `computeMs(rank, step)` of virtual time (world rank). */
  compute(step: number): Promise<void> {
    let ms: number;
    try {
      ms = this.computeTime(this.simulated.rank, step);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.advance(ms);
  }

  protected override derive(group: readonly number[], context: number): SimulatedTransport {
    return new SimulatedTransport(this.simulated, this.computeTime, group, context);
  }
}
