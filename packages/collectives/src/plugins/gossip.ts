import { Capabilities, Topology, Transport, choiceOption, knownOptions, type PluginSpec } from '@syncopate/core';
import { ALLREDUCE_CHOICES, type AllreduceChoice } from '../allreduce-dispatch.js';
import { checkLink, type LinkModel } from '../cost-model.js';
import { TransportCollective } from '../transport-collective.js';
import { BASE_CAPABILITIES, collectiveSpec } from './collective-spec.js';

/** Options of {@link neighbourAverage} and {@link pushSum}. */
export interface GossipOptions {
  /** How exact averages (allreduce) still needed by the policy run. Default `native`. */
  readonly allreduce?: AllreduceChoice;
  /** The link the cost model assumes for `allreduce: 'auto'`. */
  readonly link?: Partial<LinkModel>;
}

function gossipSpec(name: string, operation: 'neighbour-average' | 'push-sum', options: GossipOptions): PluginSpec<{ allreduce: AllreduceChoice; link: LinkModel }> {
  knownOptions(name, options, ['allreduce', 'link']);
  const allreduce = choiceOption(name, 'allreduce', options.allreduce, ALLREDUCE_CHOICES, 'native');
  const link = checkLink(name, options.link);
  const isAverage = operation === 'neighbour-average';
  return collectiveSpec({
    name,
    options: { allreduce, link },
    provides: [...BASE_CAPABILITIES, isAverage ? Capabilities.neighbourAverage : Capabilities.pushSum],
    ...(isAverage
      ? {
          requires: [
            {
              capability: Capabilities.doublyStochastic,
              from: 'topology' as const,
              reason: 'neighbour averaging preserves the average over ranks only with doubly-stochastic mixing weights',
            },
          ],
        }
      : {}),
    create: (resolver) => {
      const topology = resolver.resolve(Topology);
      return new TransportCollective(resolver.resolve(Transport), {
        name,
        choice: allreduce,
        link,
        groups: topology.groups,
        preferNative: true,
        topology,
        gossip: [operation],
      });
    },
  });
}

/**
 * Gossip mixing over the composition's topology: `neighbourAverage(x, step)` replaces x with
 * W[r][r]·x + Σ_j W[r][j]·x_j over the in-neighbours at that step (the averaging step of D-PSGD;
 * Lian et al., "Can Decentralized Algorithms Outperform Centralized Algorithms?", NeurIPS 2017).
 * Needs doubly-stochastic weights, under which the average over ranks is preserved. Also offers
 * allreduce (for exact averages), allgather and vote.
 *
 * @example
 * ```ts
 * plugins: [exponentialGraph(), neighbourAverage()]
 * ```
 */
export function neighbourAverage(options: GossipOptions = {}): PluginSpec<{ allreduce: AllreduceChoice; link: LinkModel }> {
  return gossipSpec('neighbourAverage', 'neighbour-average', options);
}

/**
 * Push-sum over the composition's topology: `pushSum(x, w, step)` sends (x, w) scaled by the
 * column weights to the out-neighbours and sums what arrives; x / w converges to the average on
 * directed and time-varying graphs (Kempe, Dobra & Gehrke, FOCS 2003; SGP, Assran et al., "Stochastic
 * Gradient Push for Distributed Deep Learning", ICML 2019). The topology's columns must sum to 1.
 *
 * @example
 * ```ts
 * plugins: [onePeerExponentialGraph(), pushSum()]
 * ```
 */
export function pushSum(options: GossipOptions = {}): PluginSpec<{ allreduce: AllreduceChoice; link: LinkModel }> {
  return gossipSpec('pushSum', 'push-sum', options);
}
