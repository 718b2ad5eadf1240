import { Capabilities, OptionError, choiceOption, knownOptions, numberOption } from '@syncopate/core';
import { GraphTopology } from './graph-topology.js';
import { emptyLists } from './graph.js';
import { MIXING_WEIGHTS, type MixingWeights } from './mixing-weights.js';
import { topologySpec, type TopologySpec } from './topology-spec.js';

/** Options of {@link hierarchical}. */
export interface HierarchicalOptions {
  /** Ranks per node (host); must divide the number of ranks. Required. */
  readonly localSize: number;
  /** How node leaders (the first rank of each node) are linked: `complete` (default) or `ring`. */
  readonly between?: 'complete' | 'ring';
  /** Mixing weights; default `metropolis-hastings` (doubly stochastic on this irregular graph). */
  readonly weights?: MixingWeights;
}

/** Consecutive groups of `localSize` ranks: `[[0..L−1], [L..2L−1], …]`. */
export function nodeGroups(size: number, localSize: number): number[][] {
  return Array.from({ length: size / localSize }, (_, node) => Array.from({ length: localSize }, (_, local) => node * localSize + local));
}

/** Edges: complete inside each group; leaders (first rank of each group) linked by `between`. */
export function hierarchicalGraph(groups: readonly (readonly number[])[], between: 'complete' | 'ring'): number[][] {
  const size = groups.reduce((n, g) => n + g.length, 0);
  const lists = emptyLists(size);
  for (const group of groups) for (const a of group) for (const b of group) if (a !== b) lists[a]!.push(b);
  const leaders = groups.map((g) => g[0]!);
  const g = leaders.length;
  leaders.forEach((leader, i) => {
    if (between === 'complete') lists[leader]!.push(...leaders.filter((other) => other !== leader));
    else if (g > 1) lists[leader]!.push(leaders[(i + 1) % g]!, leaders[(i + g - 1) % g]!);
  });
  return lists;
}

/**
 * Nodes × local ranks: ranks on one host form a group that mixes completely, and one leader per
 * host talks to the other hosts' leaders. Declares the groups, which hierarchical allreduce uses
 * (intra-node reduce, inter-node allreduce, intra-node broadcast; Jia et al., "Highly Scalable
 * Deep Learning Training System with Mixed-Precision: Training ImageNet in Four Minutes", 2018).
 *
 * @example
 * ```ts
 * plugins: [hierarchical({ localSize: 4 }), hierarchicalAllreduce()]
 * ```
 */
export function hierarchical(options: HierarchicalOptions): TopologySpec<Required<HierarchicalOptions>> {
  knownOptions('hierarchical', options, ['localSize', 'between', 'weights']);
  options ??= {} as HierarchicalOptions;
  const resolved: Required<HierarchicalOptions> = {
    localSize: numberOption('hierarchical', 'localSize', options.localSize, { min: 1, integer: true }),
    between: choiceOption('hierarchical', 'between', options.between, ['complete', 'ring'] as const, 'complete'),
    weights: choiceOption('hierarchical', 'weights', options.weights, MIXING_WEIGHTS, 'metropolis-hastings'),
  };
  const provides = [Capabilities.groups, ...(resolved.weights === 'metropolis-hastings' ? [Capabilities.doublyStochastic] : [])];
  return topologySpec({
    name: 'hierarchical',
    options: resolved,
    provides,
    build: (size) => {
      if (size % resolved.localSize !== 0) {
        throw new OptionError('hierarchical', 'localSize', `must divide the number of ranks ${size}, got ${resolved.localSize}`);
      }
      const groups = nodeGroups(size, resolved.localSize);
      return new GraphTopology({
        name: 'hierarchical',
        size,
        graphAt: () => hierarchicalGraph(groups, resolved.between),
        timeVarying: false,
        weights: resolved.weights,
        groups,
      });
    },
  });
}
