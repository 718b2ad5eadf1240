import { Capabilities, OptionError, choiceOption, knownOptions, numberOption } from '@syncopate/core';
import { GraphTopology } from './graph-topology.js';
import { MIXING_WEIGHTS, type MixingWeights } from './mixing-weights.js';
import { allRanks, topologySpec, type TopologySpec } from './topology-spec.js';

/** Options of {@link star}. */
export interface StarOptions {
  /** The rank acting as parameter server (the hub). Default 0. */
  readonly server?: number;
  /**
   * Mixing weights. Default `metropolis-hastings`, which is doubly stochastic; `uniform` makes the
   * hub average everyone equally but is not doubly stochastic.
   */
  readonly weights?: MixingWeights;
}

/** The star's edges: the hub talks to every other rank, the others only to the hub. */
export function starGraph(size: number, server: number): number[][] {
  return allRanks(size).map((rank) => (rank === server ? allRanks(size).filter((r) => r !== server) : [server]));
}

/**
 * The star: one rank is the parameter server, every worker talks only to it (the Parameter
 * Server architecture, Li et al., "Scaling Distributed Machine Learning with the Parameter
 * Server", OSDI 2014). Declares the server rank so parameter-server sync policies (SSP, ASP)
 * can find it.
 *
 * @example
 * ```ts
 * const topology = star({ server: 0 }).build(8);
 * topology.servers; // [0]
 * ```
 */
export function star(options: StarOptions = {}): TopologySpec<Required<StarOptions>> {
  knownOptions('star', options, ['server', 'weights']);
  const resolved: Required<StarOptions> = {
    server: numberOption('star', 'server', options.server, { min: 0, integer: true }, 0),
    weights: choiceOption('star', 'weights', options.weights, MIXING_WEIGHTS, 'metropolis-hastings'),
  };
  const provides = [Capabilities.serverRanks, ...(resolved.weights === 'metropolis-hastings' ? [Capabilities.doublyStochastic] : [])];
  return topologySpec({
    name: 'star',
    options: resolved,
    provides,
    build: (size) => {
      if (resolved.server >= size) throw new OptionError('star', 'server', `must be a rank below ${size}, got ${resolved.server}`);
      return new GraphTopology({
        name: 'star',
        size,
        graphAt: () => starGraph(size, resolved.server),
        timeVarying: false,
        weights: resolved.weights,
        servers: [resolved.server],
      });
    },
  });
}
