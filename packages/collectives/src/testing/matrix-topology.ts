import type { Edge, Neighbourhood, Rng, Topology } from '@syncopate/core';

/** A dense mixing matrix, W[i][j] = weight with which rank i takes rank j's value. */
export type DenseMatrix = readonly (readonly number[])[];

/**
 * A {@link Topology} read off explicit mixing matrices, one per step: rank i receives from every
 * j ≠ i with W[i][j] > 0 and sends to every j ≠ i with W[j][i] > 0. For testing collectives on
 * arbitrary graphs without depending on the topology package.
 */
export function matrixTopology(name: string, size: number, matrixAt: (step: number) => DenseMatrix, timeVarying = true): Topology {
  return {
    name,
    size,
    timeVarying,
    servers: [],
    groups: [Array.from({ length: size }, (_, r) => r)],
    neighbourhood(rank: number, step: number): Neighbourhood {
      const w = matrixAt(step);
      const receive: Edge[] = [];
      const send: Edge[] = [];
      for (let j = 0; j < size; j++) {
        if (j === rank) continue;
        if (w[rank]![j]! > 0) receive.push({ peer: j, weight: w[rank]![j]! });
        if (w[j]![rank]! > 0) send.push({ peer: j, weight: w[j]![rank]! });
      }
      return { self: w[rank]![rank]!, receive, send };
    },
  };
}

/** A uniformly random permutation of 0…n−1. */
export function randomPermutation(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/**
 * A random doubly-stochastic matrix: a random convex combination of `terms` random permutation
 * matrices (every doubly-stochastic matrix is one, by Birkhoff–von Neumann). Usually not
 * symmetric, so it exercises directed gossip.
 */
export function randomDoublyStochastic(n: number, rng: Rng, terms = 3): number[][] {
  const w = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const coefficients = Array.from({ length: terms }, () => 0.1 + rng.nextFloat());
  const total = coefficients.reduce((a, b) => a + b, 0);
  coefficients.forEach((c) => {
    const p = randomPermutation(n, rng);
    for (let i = 0; i < n; i++) w[i]![p[i]!]! += c / total;
  });
  return w;
}

/**
 * A random column-stochastic matrix on a strongly connected directed graph: every rank keeps a
 * share for itself and sends the rest to i + 1 (mod n) and to a few random ranks, with random
 * shares. Rows generally do not sum to 1, so plain averaging would be biased; push-sum is not.
 */
export function randomColumnStochastic(n: number, rng: Rng): number[][] {
  const w = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const targets = new Set([j, (j + 1) % n]);
    const extra = rng.nextInt(3);
    for (let e = 0; e < extra; e++) targets.add(rng.nextInt(n));
    const shares = [...targets].map(() => 0.2 + rng.nextFloat());
    const total = shares.reduce((a, b) => a + b, 0);
    [...targets].forEach((i, k) => (w[i]![j]! += shares[k]! / total));
  }
  return w;
}
