import { Capabilities, knownOptions } from '@syncopate/core';
import { GraphTopology } from './graph-topology.js';
import { allRanks, topologySpec, type TopologySpec } from './topology-spec.js';

/** The complete graph's edges: every rank talks to every other rank. */
export function completeGraph(size: number): number[][] {
  return allRanks(size).map((rank) => allRanks(size).filter((peer) => peer !== rank));
}

/**
 * The complete graph with uniform weights 1/n: one round of neighbour averaging gives the exact
 * average, as an allreduce does (the "All-Reduce" architecture of Tang et al., "Communication-
 * Efficient Distributed Deep Learning: A Comprehensive Survey", 2020). The default topology.
 *
 * @example
 * ```ts
 * plugins: [complete(), ringAllreduce()]
 * ```
 */
export function complete(options: Record<string, never> = {}): TopologySpec<Record<string, never>> {
  knownOptions('complete', options, []);
  return topologySpec({
    name: 'complete',
    options,
    provides: [Capabilities.doublyStochastic],
    build: (size) => new GraphTopology({ name: 'complete', size, graphAt: () => completeGraph(size), timeVarying: false, weights: 'uniform' }),
  });
}
