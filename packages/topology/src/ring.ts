import { Capabilities, knownOptions } from '@syncopate/core';
import { GraphTopology } from './graph-topology.js';
import { allRanks, topologySpec, type TopologySpec } from './topology-spec.js';

/** The ring's edges: rank i talks to i − 1 and i + 1 (mod n). */
export function ringGraph(size: number): number[][] {
  return allRanks(size).map((rank) => [(rank + size - 1) % size, (rank + 1) % size]);
}

/**
 * The undirected ring: each rank mixes with its two neighbours, weight 1/3 each (1/2 on two
 * ranks). The sparsest connected regular graph; the topology of D-PSGD's experiments (Lian et
 * al., "Can Decentralized Algorithms Outperform Centralized Algorithms?", 2017). Its spectral gap
 * shrinks as 1/n², so consensus slows down on many ranks.
 *
 * @example
 * ```ts
 * plugins: [ring(), neighbourAverage()]
 * ```
 */
export function ring(options: Record<string, never> = {}): TopologySpec<Record<string, never>> {
  knownOptions('ring', options, []);
  return topologySpec({
    name: 'ring',
    options,
    provides: [Capabilities.doublyStochastic],
    build: (size) => new GraphTopology({ name: 'ring', size, graphAt: () => ringGraph(size), timeVarying: false, weights: 'uniform' }),
  });
}
