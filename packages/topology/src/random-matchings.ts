import { Capabilities, SHARED_RANK, createRng, knownOptions, numberOption } from '@syncopate/core';
import { GraphTopology } from './graph-topology.js';
import { addUndirectedEdges, emptyLists } from './graph.js';
import { topologySpec, type TopologySpec } from './topology-spec.js';

/** Options of {@link randomMatchings}. */
export interface RandomMatchingsOptions {
  /** Seed of the shared random stream the matchings are drawn from. Default 0. */
  readonly seed?: number;
}

/**
 * The matching at `step`: a uniformly random permutation of the ranks (drawn from the shared
 * stream keyed by seed and step), paired off two by two; with an odd count, one rank sits out.
 */
export function randomMatchingEdges(size: number, seed: number, step: number): number[][] {
  const rng = createRng({ seed, rank: SHARED_RANK, step, stream: 'randomMatchings' });
  const order = Array.from({ length: size }, (_, r) => r);
  for (let i = size - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < size; i += 2) pairs.push([order[i]!, order[i + 1]!]);
  return addUndirectedEdges(emptyLists(size), pairs);
}

/**
 * Random matchings: at every step the ranks pair up at random and each pair averages (weights
 * ½, ½), so every rank sends one message per step and the expected mixing matrix is that of the
 * complete graph. Pairwise gossip in the style of Boyd et al., "Randomized Gossip Algorithms"
 * (IEEE Trans. Inf. Theory, 2006), and the matching-based schedules of MATCHA (Wang et al.,
 * 2019). Every rank draws the same matching from (seed, step) without communicating.
 *
 * @example
 * ```ts
 * plugins: [randomMatchings({ seed: 7 }), neighbourAverage()]
 * ```
 */
export function randomMatchings(options: RandomMatchingsOptions = {}): TopologySpec<Required<RandomMatchingsOptions>> {
  knownOptions('randomMatchings', options, ['seed']);
  const resolved = { seed: numberOption('randomMatchings', 'seed', options.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }, 0) };
  return topologySpec({
    name: 'randomMatchings',
    options: resolved,
    provides: [Capabilities.doublyStochastic, Capabilities.timeVarying],
    build: (size) =>
      new GraphTopology({
        name: 'randomMatchings',
        size,
        graphAt: (step) => randomMatchingEdges(size, resolved.seed, step),
        timeVarying: true,
        weights: 'uniform',
      }),
  });
}
