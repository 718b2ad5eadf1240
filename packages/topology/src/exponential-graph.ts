import { Capabilities, knownOptions } from '@syncopate/core';
import { GraphTopology } from './graph-topology.js';
import { allRanks, topologySpec, type TopologySpec } from './topology-spec.js';

/** The hops 2⁰, 2¹, …, 2^⌊log₂(n−1)⌋: every power of two below `size`. */
export function exponentialHops(size: number): number[] {
  const hops: number[] = [];
  for (let hop = 1; hop < size; hop *= 2) hops.push(hop);
  return hops;
}

/** The static exponential graph's edges: rank i sends to i + 2^k (mod n) for every hop. */
export function exponentialGraphEdges(size: number): number[][] {
  const hops = exponentialHops(size);
  return allRanks(size).map((rank) => hops.map((hop) => (rank + hop) % size));
}

/**
 * The static directed exponential graph: rank i sends to i + 1, i + 2, i + 4, … (mod n), and
 * mixes uniformly with its ⌈log₂ n⌉ in-neighbours. Every rank has the same in- and out-degree,
 * so the uniform weights are doubly stochastic, and the spectral gap stays bounded away from zero
 * as n grows (Ying et al., "Exponential Graph is Provably Efficient for Decentralized Deep
 * Training", NeurIPS 2021; the base graph of SGP, Assran et al., ICML 2019).
 *
 * @example
 * ```ts
 * plugins: [exponentialGraph(), neighbourAverage()]
 * ```
 */
export function exponentialGraph(options: Record<string, never> = {}): TopologySpec<Record<string, never>> {
  knownOptions('exponentialGraph', options, []);
  return topologySpec({
    name: 'exponentialGraph',
    options,
    provides: [Capabilities.doublyStochastic],
    build: (size) =>
      new GraphTopology({ name: 'exponentialGraph', size, graphAt: () => exponentialGraphEdges(size), timeVarying: false, weights: 'uniform' }),
  });
}
