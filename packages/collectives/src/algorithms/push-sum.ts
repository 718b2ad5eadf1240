import { CompositionError, type CallOptions, type Topology } from '@syncopate/core';
import type { PeerLink } from '../peer-link.js';
import { COLLECTIVE_TAGS } from '../tags.js';
import { checkTopologySize } from './neighbour-average.js';
import { neighbourExchange } from './neighbour-exchange.js';

/** Largest |column sum − 1| push-sum accepts before it refuses the topology. */
export const PUSH_SUM_TOLERANCE = 1e-9;

/**
 * One push-sum round, in place (Kempe, Dobra & Gehrke, "Gossip-based computation of aggregate
 * information", FOCS 2003; with SGD, Assran et al., "Stochastic Gradient Push for Distributed Deep
 * Learning", ICML 2019). Each rank scales its pair (x, w) by the column weights W[j][r] of its
 * out-neighbours j and sends them; it keeps W[r][r]·(x, w) and adds what it receives. Returns the
 * new weight; x / w is the de-biased estimate, which converges to the average of the initial x
 * over all ranks on any strongly connected sequence of column-stochastic matrices, directed or
 * not. The weight travels as a float64 before the float32 values in one message.
 *
 * Throws a `CompositionError` when this rank's column of W does not sum to 1 (mass would be
 * created or lost).
 */
export async function pushSum(
  link: PeerLink,
  topology: Topology,
  buffer: Float32Array,
  weight: number,
  step: number,
  options?: CallOptions,
): Promise<number> {
  checkTopologySize(topology, link, 'pushSum');
  const hood = topology.neighbourhood(link.rank, step);
  const column = hood.send.reduce((sum, e) => sum + e.weight, hood.self);
  if (Math.abs(column - 1) > PUSH_SUM_TOLERANCE) {
    throw new CompositionError(
      ['pushSum', topology.name],
      `pushSum needs column-stochastic weights, but rank ${link.rank}'s column of ${topology.name} sums to ${column} at step ${step}`,
    );
  }
  const n = buffer.length;
  const bytes = 8 + 4 * n;
  const sum = new Float64Array(n);
  for (let i = 0; i < n; i++) sum[i] = hood.self * buffer[i]!;
  let newWeight = hood.self * weight;
  const scratch = new Uint8Array(bytes);
  const scratchWeight = new Float64Array(scratch.buffer, 0, 1);
  const scratchValues = new Float32Array(scratch.buffer, 8, n);
  await neighbourExchange(
    link,
    hood,
    COLLECTIVE_TAGS.pushSum,
    (edge) => {
      const message = new Uint8Array(bytes);
      new Float64Array(message.buffer, 0, 1)[0] = edge.weight * weight;
      const values = new Float32Array(message.buffer, 8, n);
      for (let i = 0; i < n; i++) values[i] = edge.weight * buffer[i]!;
      return message;
    },
    () => scratch,
    () => {
      newWeight += scratchWeight[0]!;
      for (let i = 0; i < n; i++) sum[i] += scratchValues[i]!;
    },
    options,
  );
  buffer.set(sum);
  return newWeight;
}
