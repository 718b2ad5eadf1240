import { OptionError, type Neighbourhood, type Topology } from '@syncopate/core';
import { normalizeGraph, type Graph } from './graph.js';
import { mixingNeighbourhoods, type MixingWeights } from './mixing-weights.js';

/** What a {@link GraphTopology} is made of. */
export interface GraphTopologyInit {
  readonly name: string;
  readonly size: number;
  /** The out-neighbour lists at `step`; called once per step (once in all for a static graph). */
  readonly graphAt: (step: number) => Graph;
  readonly timeVarying: boolean;
  readonly weights: MixingWeights;
  readonly servers?: readonly number[];
  readonly groups?: readonly (readonly number[])[];
}

/**
 * A {@link Topology} defined by a (possibly step-dependent) graph and a mixing-weight rule.
 * Every rank computes the same graph from (size, seed, step) alone, without communicating.
 *
 * The neighbourhoods of the latest step are cached; a static graph is computed once.
 */
export class GraphTopology implements Topology {
  readonly name: string;
  readonly size: number;
  readonly timeVarying: boolean;
  readonly servers: readonly number[];
  readonly groups: readonly (readonly number[])[];
  /** The weight rule in use. */
  readonly weights: MixingWeights;
  private readonly graphAt: (step: number) => Graph;
  private cachedStep = -1;
  private cached: readonly Neighbourhood[] = [];

  constructor(init: GraphTopologyInit) {
    this.name = init.name;
    this.size = init.size;
    this.timeVarying = init.timeVarying;
    this.weights = init.weights;
    this.graphAt = init.graphAt;
    this.servers = Object.freeze([...(init.servers ?? [])]);
    const all = Array.from({ length: init.size }, (_, r) => r);
    this.groups = Object.freeze((init.groups ?? [all]).map((g) => Object.freeze([...g])));
  }

  /** The graph (out-neighbour lists, without self-loops) at `step`. */
  graph(step: number): Graph {
    this.checkStep(step);
    return normalizeGraph(this.graphAt(this.timeVarying ? step : 0));
  }

  neighbourhood(rank: number, step: number): Neighbourhood {
    if (!Number.isInteger(rank) || rank < 0 || rank >= this.size) {
      throw new OptionError(this.name, 'rank', `must be an integer in [0, ${this.size - 1}], got ${rank}`);
    }
    const key = this.timeVarying ? step : 0;
    this.checkStep(step);
    if (key !== this.cachedStep) {
      this.cached = mixingNeighbourhoods(this.graph(step), this.weights);
      this.cachedStep = key;
    }
    return this.cached[rank]!;
  }

  private checkStep(step: number): void {
    if (!Number.isInteger(step) || step < 0) throw new OptionError(this.name, 'step', `must be a non-negative integer, got ${step}`);
  }
}
