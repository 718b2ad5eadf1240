import { CompositionError, type CallOptions, type Topology } from '@syncopate/core';
import type { PeerLink } from '../peer-link.js';
import { COLLECTIVE_TAGS } from '../tags.js';
import { neighbourExchange } from './neighbour-exchange.js';

/** Throw a `CompositionError` unless `topology` is sized for `link`. */
export function checkTopologySize(topology: Topology, link: PeerLink, owner: string): void {
  if (topology.size !== link.size) {
    throw new CompositionError([owner, topology.name], `${owner}: topology ${topology.name} has ${topology.size} ranks but the transport has ${link.size}`);
  }
}

/**
 * Gossip mixing, in place: x ← W[r][r]·x + Σ_j W[r][j]·x_j over the in-neighbours j of this rank
 * in `topology` at `step` (the averaging step of D-PSGD; Lian et al., "Can Decentralized
 * Algorithms Outperform Centralized Algorithms?", NeurIPS 2017). Each rank sends its buffer,
 * unscaled, to its out-neighbours. With doubly-stochastic weights the average over ranks is
 * preserved and the spread shrinks by the spectral factor ρ per round. Sums are accumulated in
 * float64 and rounded once.
 */
export async function neighbourAverage(
  link: PeerLink,
  topology: Topology,
  buffer: Float32Array,
  step: number,
  options?: CallOptions,
): Promise<void> {
  checkTopologySize(topology, link, 'neighbourAverage');
  const hood = topology.neighbourhood(link.rank, step);
  const sum = new Float64Array(buffer.length);
  for (let i = 0; i < buffer.length; i++) sum[i] = hood.self * buffer[i]!;
  const scratch = new Float32Array(buffer.length);
  await neighbourExchange(
    link,
    hood,
    COLLECTIVE_TAGS.neighbourAverage,
    () => buffer,
    () => scratch,
    ({ weight }) => {
      for (let i = 0; i < scratch.length; i++) sum[i] += weight * scratch[i]!;
    },
    options,
  );
  buffer.set(sum);
}
