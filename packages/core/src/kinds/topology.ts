import { token } from '../token.js';

/** A weighted link to another rank. */
export interface Edge {
  readonly peer: number;
  readonly weight: number;
}

/**
 * One rank's row and column of the mixing matrix W at a step.
 *
 * - `self` is W[rank][rank];
 * - `receive` lists W[rank][j] for in-neighbours j (row weights: x_rank ← self·x_rank + Σ w·x_j);
 * - `send` lists W[i][rank] for out-neighbours i (column weights, used by push-sum).
 *
 * For an undirected, doubly-stochastic topology `receive` and `send` hold the same peers.
 */
export interface Neighbourhood {
  readonly self: number;
  readonly receive: readonly Edge[];
  readonly send: readonly Edge[];
}

/**
 * Who talks to whom, and with which mixing weights, at each step. Deterministic for a given
 * size, seed and step: every rank computes the same graph without communicating.
 */
export interface Topology {
  /** Name from the literature: `ring`, `torus2d`, `exponentialGraph`, … */
  readonly name: string;
  readonly size: number;
  /** Whether `neighbourhood` depends on `step` (SGP's one-peer exponential graph, random matchings). */
  readonly timeVarying: boolean;
  /** Ranks that act as parameter servers (star topology); empty for peer-to-peer graphs. */
  readonly servers: readonly number[];
  /** Groups of ranks (e.g. one per host) for hierarchical collectives; one group when flat. */
  readonly groups: readonly (readonly number[])[];
  neighbourhood(rank: number, step: number): Neighbourhood;
}

/** The service key of the {@link Topology} interface. */
export const Topology = token<Topology>('syncopate/Topology');
