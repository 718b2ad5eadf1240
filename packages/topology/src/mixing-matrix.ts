import { OptionError, type Topology } from '@syncopate/core';

/** A dense square matrix, one `Float64Array` per row. For analysis of small graphs. */
export type Matrix = readonly Float64Array[];

/**
 * The mixing matrix W of `topology` at `step`: W[i][i] = self weight of i, W[i][j] = the weight
 * with which i receives from j. With `steps` > 1, the product W(step + steps − 1) ⋯ W(step), which
 * is what a time-varying topology applies over that many rounds.
 *
 * Also checks the topology for consistency: every rank's `send` list must mirror the `receive`
 * lists of its peers (same peers, same weights), otherwise gossip and push-sum would disagree on
 * who sends what. Throws an `OptionError` naming the first inconsistent pair.
 */
export function mixingMatrix(topology: Topology, step: number, steps = 1): Matrix {
  if (!Number.isInteger(steps) || steps < 1) throw new OptionError('mixingMatrix', 'steps', `must be an integer >= 1, got ${steps}`);
  let product = singleStepMatrix(topology, step);
  for (let s = 1; s < steps; s++) product = multiply(singleStepMatrix(topology, step + s), product);
  return product;
}

function singleStepMatrix(topology: Topology, step: number): Matrix {
  const n = topology.size;
  const w = Array.from({ length: n }, () => new Float64Array(n));
  const hoods = Array.from({ length: n }, (_, rank) => topology.neighbourhood(rank, step));
  hoods.forEach((hood, i) => {
    w[i]![i] = hood.self;
    for (const { peer, weight } of hood.receive) w[i]![peer] = weight;
  });
  hoods.forEach((hood, j) => {
    const listed = new Set<number>();
    for (const { peer: i, weight } of hood.send) {
      listed.add(i);
      if (i === j || Math.abs(w[i]![j]! - weight) > 1e-12) {
        throw new OptionError(topology.name, 'neighbourhood', `at step ${step}: rank ${j} sends to ${i} with weight ${weight}, but rank ${i} receives from ${j} with weight ${w[i]![j]}`);
      }
    }
    for (let i = 0; i < n; i++) {
      if (i !== j && w[i]![j] !== 0 && !listed.has(i)) {
        throw new OptionError(topology.name, 'neighbourhood', `at step ${step}: rank ${i} receives from ${j}, but rank ${j} does not send to ${i}`);
      }
    }
  });
  return w;
}

/** The matrix product a · b. */
export function multiply(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  return a.map((row) => {
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const v = row[k]!;
      if (v === 0) continue;
      const bk = b[k]!;
      for (let j = 0; j < n; j++) out[j] += v * bk[j]!;
    }
    return out;
  });
}
