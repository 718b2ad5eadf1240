import { Capabilities, OptionError, Topology, Transport, type Provider, type Resolver } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { complete } from './complete.js';
import { exponentialGraph } from './exponential-graph.js';
import { hierarchical } from './hierarchical.js';
import { mixingMatrix } from './mixing-matrix.js';
import { onePeerExponentialGraph } from './one-peer-exponential-graph.js';
import { ring } from './ring.js';
import { star } from './star.js';
import { torus2d, torusShape } from './torus2d.js';

const peers = (t: Topology, rank: number, step = 0) => t.neighbourhood(rank, step).receive.map((e) => e.peer);
const sendPeers = (t: Topology, rank: number, step = 0) => t.neighbourhood(rank, step).send.map((e) => e.peer);

describe('complete', () => {
  it('mixes every rank with weight 1/n, so one round is the exact average', () => {
    const t = complete().build(5);
    const hood = t.neighbourhood(2, 0);
    expect(hood.self).toBeCloseTo(1 / 5, 15);
    expect(hood.receive.map((e) => e.peer)).toEqual([0, 1, 3, 4]);
    expect(hood.receive.every((e) => Math.abs(e.weight - 0.2) < 1e-15)).toBe(true);
  });
});

describe('ring', () => {
  it('links i to i ± 1 with weight 1/3 (1/2 on two ranks, none on one)', () => {
    const t = ring().build(6);
    expect(peers(t, 0)).toEqual([1, 5]);
    expect(t.neighbourhood(3, 0).receive.map((e) => e.weight)).toEqual([1 / 3, 1 / 3]);
    expect(ring().build(2).neighbourhood(0, 0)).toEqual({ self: 0.5, receive: [{ peer: 1, weight: 0.5 }], send: [{ peer: 1, weight: 0.5 }] });
    expect(ring().build(1).neighbourhood(0, 0)).toEqual({ self: 1, receive: [], send: [] });
  });
});

describe('torus2d', () => {
  it('picks the most nearly square grid and links the four wrap-around neighbours', () => {
    expect(torusShape(12)).toEqual({ rows: 3, cols: 4 });
    expect(torusShape(7)).toEqual({ rows: 1, cols: 7 });
    const t = torus2d({ rows: 4 }).build(16);
    expect(peers(t, 5)).toEqual([1, 4, 6, 9]);
    expect(peers(t, 0)).toEqual([1, 3, 4, 12]);
  });

  it('rejects a shape that does not fit the number of ranks', () => {
    expect(() => torus2d({ rows: 3, cols: 3 }).build(8)).toThrow(/rows' × cols must equal the number of ranks: 3 × 3 ≠ 8/);
    expect(() => torus2d({ cols: 3 }).build(8)).toThrow(OptionError);
    expect(() => torus2d({ rows: 0 })).toThrow(/torus2d: option 'rows' must be an integer >= 1, got 0/);
  });
});

describe('star', () => {
  it('links every worker to the server only and declares the server', () => {
    const t = star({ server: 2 }).build(5);
    expect(t.servers).toEqual([2]);
    expect(peers(t, 2)).toEqual([0, 1, 3, 4]);
    expect(peers(t, 4)).toEqual([2]);
    // Metropolis–Hastings: 1 / (1 + max(4, 1)) on every edge.
    expect(t.neighbourhood(4, 0)).toEqual({ self: 0.8, receive: [{ peer: 2, weight: 0.2 }], send: [{ peer: 2, weight: 0.2 }] });
    expect(star().provides).toContain(Capabilities.serverRanks);
  });

  it('rejects a server rank outside the job', () => {
    expect(() => star({ server: 4 }).build(4)).toThrow(/star: option 'server' must be a rank below 4, got 4/);
    expect(() => star({ weights: 'equal' as never })).toThrow(/'uniform', 'metropolis-hastings'/);
  });
});

describe('hierarchical', () => {
  it('groups consecutive ranks by node, complete inside, leaders linked', () => {
    const t = hierarchical({ localSize: 3 }).build(9);
    expect(t.groups).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    expect(peers(t, 4)).toEqual([3, 5]);
    expect(peers(t, 3)).toEqual([0, 4, 5, 6]);
    expect(peers(hierarchical({ localSize: 2, between: 'ring' }).build(10), 0)).toEqual([1, 2, 8]);
  });

  it('requires localSize to divide the number of ranks', () => {
    expect(() => hierarchical({ localSize: 4 }).build(6)).toThrow(/hierarchical: option 'localSize' must divide the number of ranks 6, got 4/);
    expect(() => hierarchical({} as never)).toThrow(/option 'localSize' is required/);
    expect(() => hierarchical({ localSise: 2 } as never)).toThrow(/did you mean 'localSize'/);
  });
});

describe('exponentialGraph', () => {
  it('sends to i + 2^k and receives from i − 2^k for every power of two below n', () => {
    const t = exponentialGraph().build(12);
    expect(sendPeers(t, 0)).toEqual([1, 2, 4, 8]);
    expect(peers(t, 0)).toEqual([4, 8, 10, 11]);
    expect(t.neighbourhood(0, 0).self).toBeCloseTo(1 / 5, 15);
  });
});

describe('onePeerExponentialGraph', () => {
  it('cycles through the hops, one peer per step', () => {
    const t = onePeerExponentialGraph().build(8);
    expect([0, 1, 2, 3].map((step) => sendPeers(t, 3, step))).toEqual([[4], [5], [7], [4]]);
    expect(t.neighbourhood(3, 2)).toEqual({ self: 0.5, receive: [{ peer: 7, weight: 0.5 }], send: [{ peer: 7, weight: 0.5 }] });
  });

  it('reaches the exact average after log2(n) steps when n is a power of two (SGP)', () => {
    for (const n of [2, 4, 8, 16]) {
      const product = mixingMatrix(onePeerExponentialGraph().build(n), 0, Math.log2(n));
      for (const row of product) for (const v of row) expect(v).toBeCloseTo(1 / n, 12);
    }
  });
});

describe('topology specs', () => {
  it('register under the Topology token, sized by the transport', () => {
    let provider: Provider<Topology> | undefined;
    ring().register({ register: (token, p) => token.key === Topology.key && (provider = p as Provider<Topology>) });
    const resolver = { resolve: (token: { key: symbol }) => (token.key === Transport.key ? { size: 7 } : undefined) } as unknown as Resolver;
    const topology = (provider as { useFactory: (r: Resolver) => Topology }).useFactory(resolver);
    expect(topology.size).toBe(7);
    expect(ring().kind).toBe('topology');
  });

  it('reject unknown options, bad sizes, ranks and steps with errors that name them', () => {
    expect(() => ring({ size: 3 } as never)).toThrow(/ring: option 'size' is not an option of ring/);
    expect(() => ring().build(0)).toThrow(/ring: option 'size' must be an integer >= 1, got 0/);
    expect(() => ring().build(4).neighbourhood(4, 0)).toThrow(/ring: option 'rank' must be an integer in \[0, 3\], got 4/);
    expect(() => ring().build(4).neighbourhood(0, -1)).toThrow(/option 'step' must be a non-negative integer, got -1/);
  });
});
