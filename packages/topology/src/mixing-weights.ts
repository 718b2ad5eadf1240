import type { Edge, Neighbourhood } from '@syncopate/core';
import { inNeighbours, isUndirected, type Graph } from './graph.js';

/**
 * How mixing weights W are derived from a graph.
 *
 * - `uniform`: each rank gives the same weight to itself and to each of its in-neighbours,
 *   W[i][j] = 1 / (indegree(i) + 1). Rows always sum to 1; columns too when every rank has the
 *   same in-degree (ring, torus, exponential graphs), but not on a star.
 * - `metropolis-hastings`: for undirected graphs, W[i][j] = 1 / (1 + max(deg i, deg j)) and
 *   W[i][i] = 1 − Σ_j W[i][j]. Symmetric and doubly stochastic on every undirected graph (Xiao &
 *   Boyd, "Fast linear iterations for distributed averaging", 2004); equal to `uniform` on
 *   regular graphs.
 */
export type MixingWeights = 'uniform' | 'metropolis-hastings';

/** The choices of {@link MixingWeights}, for option checks. */
export const MIXING_WEIGHTS: readonly MixingWeights[] = Object.freeze(['uniform', 'metropolis-hastings']);

/**
 * Every rank's {@link Neighbourhood} (its row and column of W) for `graph` under `rule`.
 * Throws a `RangeError` when `metropolis-hastings` is asked of a directed graph.
 */
export function mixingNeighbourhoods(graph: Graph, rule: MixingWeights): readonly Neighbourhood[] {
  const incoming = inNeighbours(graph);
  let weight: (i: number, j: number) => number;
  let selfWeight: (i: number, received: number) => number;
  if (rule === 'uniform') {
    weight = (i) => 1 / (incoming[i]!.length + 1);
    selfWeight = (i) => 1 / (incoming[i]!.length + 1);
  } else {
    if (!isUndirected(graph)) throw new RangeError('metropolis-hastings weights need an undirected graph');
    weight = (i, j) => 1 / (1 + Math.max(graph[i]!.length, graph[j]!.length));
    selfWeight = (_i, received) => 1 - received;
  }
  return graph.map((outgoing, rank) => {
    const receive: Edge[] = incoming[rank]!.map((peer) => Object.freeze({ peer, weight: weight(rank, peer) }));
    const send: Edge[] = outgoing.map((peer) => Object.freeze({ peer, weight: weight(peer, rank) }));
    const self = selfWeight(rank, receive.reduce((sum, e) => sum + e.weight, 0));
    return Object.freeze({ self, receive: Object.freeze(receive), send: Object.freeze(send) });
  });
}
