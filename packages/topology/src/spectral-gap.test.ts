import { describe, expect, it } from 'vitest';
import { complete } from './complete.js';
import { exponentialGraph } from './exponential-graph.js';
import { GraphTopology } from './graph-topology.js';
import { mixingMatrix, type Matrix } from './mixing-matrix.js';
import { ring } from './ring.js';
import { consensusRate, spectralGap } from './spectral-gap.js';
import { checkStochasticity } from './stochasticity.js';
import { symmetricEigenvalues } from './symmetric-eigenvalues.js';
import { torus2d } from './torus2d.js';

const matrix = (rows: number[][]): Matrix => rows.map((r) => Float64Array.from(r));

describe('symmetricEigenvalues', () => {
  it('matches the closed form of a circulant matrix (the ring: (1 + 2cos(2πk/n))/3)', () => {
    const n = 9;
    const expected = Array.from({ length: n }, (_, k) => (1 + 2 * Math.cos((2 * Math.PI * k) / n)) / 3).sort((a, b) => a - b);
    const got = symmetricEigenvalues(mixingMatrix(ring().build(n), 0));
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
  });

  it('keeps the trace and handles a 2×2 by hand', () => {
    const got = symmetricEigenvalues(matrix([[2, 1], [1, 2]]));
    expect([...got]).toEqual([expect.closeTo(1, 14), expect.closeTo(3, 14)]);
  });
});

describe('spectralGap', () => {
  it('is 1 for exact averaging, 1 − (1 + 2cos(2π/n))/3 for a ring, and 0 for a disconnected graph', () => {
    expect(spectralGap(mixingMatrix(complete().build(6), 0))).toBeCloseTo(1, 12);
    for (const n of [5, 8, 16]) {
      expect(spectralGap(mixingMatrix(ring().build(n), 0))).toBeCloseTo(1 - (1 + 2 * Math.cos((2 * Math.PI) / n)) / 3, 12);
    }
    const disconnected = new GraphTopology({ name: 'twoPairs', size: 4, graphAt: () => [[1], [0], [3], [2]], timeVarying: false, weights: 'uniform' });
    expect(spectralGap(mixingMatrix(disconnected, 0))).toBeCloseTo(0, 12);
    expect(consensusRate(matrix([[1]]))).toBe(0);
  });

  it('orders the graphs as the theory says: ring < torus < exponential < complete on 64 ranks', () => {
    const gap = (t: Parameters<typeof mixingMatrix>[0]) => spectralGap(mixingMatrix(t, 0));
    const [ringGap, torusGap, exponentialGap, completeGap] = [ring(), torus2d(), exponentialGraph(), complete()].map((s) => gap(s.build(64)));
    expect(ringGap).toBeLessThan(torusGap!);
    expect(torusGap).toBeLessThan(exponentialGap!);
    expect(exponentialGap).toBeLessThan(completeGap!);
    // 8 × 8 torus: λ₂ = (1 + 2 + 2cos(2π/8)) / 5.
    expect(torusGap).toBeCloseTo(1 - (3 + 2 * Math.cos(Math.PI / 4)) / 5, 12);
  });

  it('shows that one round of x ← Wx shrinks the disagreement by at most ρ', () => {
    const w = mixingMatrix(torus2d().build(12), 0);
    const rho = consensusRate(w);
    const x = Float64Array.from({ length: 12 }, (_, i) => Math.sin(3 * i) + i / 7);
    const mean = x.reduce((a, b) => a + b) / 12;
    const next = w.map((row) => row.reduce((sum, v, j) => sum + v * x[j]!, 0));
    const dist = (v: ArrayLike<number>) => Math.hypot(...Array.from(v, (vi) => vi - mean));
    expect(dist(next)).toBeLessThanOrEqual(rho * dist(x) + 1e-12);
  });
});

describe('checkStochasticity', () => {
  it('tells rows from columns', () => {
    const rowOnly = checkStochasticity(matrix([[0.5, 0.5], [1, 0]]));
    expect(rowOnly).toMatchObject({ rowStochastic: true, columnStochastic: false, doublyStochastic: false, symmetric: false });
    expect(rowOnly.maxColumnError).toBeCloseTo(0.5, 15);
    expect(checkStochasticity(matrix([[1.5, -0.5], [-0.5, 1.5]]))).toMatchObject({ nonNegative: false, doublyStochastic: false, symmetric: true });
  });
});
