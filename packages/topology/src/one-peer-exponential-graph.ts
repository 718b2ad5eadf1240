import { Capabilities, knownOptions } from '@syncopate/core';
import { GraphTopology } from './graph-topology.js';
import { exponentialHops } from './exponential-graph.js';
import { allRanks, topologySpec, type TopologySpec } from './topology-spec.js';

/** Edges at `step`: rank i sends to i + 2^(step mod ⌈log₂ n⌉) (mod n) only. */
export function onePeerExponentialEdges(size: number, step: number): number[][] {
  const hops = exponentialHops(size);
  if (hops.length === 0) return allRanks(size).map(() => []);
  const hop = hops[step % hops.length]!;
  return allRanks(size).map((rank) => [(rank + hop) % size]);
}

/**
 * SGP's time-varying one-peer exponential graph: at step t every rank sends to the single peer
 * i + 2^(t mod ⌈log₂ n⌉) and receives from i − 2^(t mod ⌈log₂ n⌉), with weight ½ on itself and ½
 * on the message (Assran et al., "Stochastic Gradient Push for Distributed Deep Learning", ICML
 * 2019). One message per step, yet over ⌈log₂ n⌉ consecutive steps information from every rank
 * reaches every other; with n a power of two the product of those ⌈log₂ n⌉ matrices is the exact
 * average.
 *
 * @example
 * ```ts
 * plugins: [onePeerExponentialGraph(), pushSum()]
 * ```
 */
export function onePeerExponentialGraph(options: Record<string, never> = {}): TopologySpec<Record<string, never>> {
  knownOptions('onePeerExponentialGraph', options, []);
  return topologySpec({
    name: 'onePeerExponentialGraph',
    options,
    provides: [Capabilities.doublyStochastic, Capabilities.timeVarying],
    build: (size) =>
      new GraphTopology({
        name: 'onePeerExponentialGraph',
        size,
        graphAt: (step) => onePeerExponentialEdges(size, step),
        timeVarying: true,
        weights: 'uniform',
      }),
  });
}
