import { OptionError } from '@syncopate/core';
import { topologyContract } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { Hypercube, hypercube } from './hypercube.js';

describe('hypercube', () => {
  it('links each rank to the ranks one bit away, with weight 1/(d + 1)', () => {
    const hood = new Hypercube(8).neighbourhood(5, 0); // 101₂ → 100₂, 111₂, 001₂
    expect(hood.receive.map((e) => e.peer)).toEqual([4, 7, 1]);
    expect([hood.self, ...hood.receive.map((e) => e.weight)]).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('preserves the mean and shrinks the disagreement by (d − 1)/(d + 1) per gossip round', () => {
    const topology = new Hypercube(8); // d = 3: W's eigenvalues are 1, 1/2, 0 and −1/2, so each round at least halves the deviation
    let x = Float64Array.from({ length: 8 }, (_, r) => r * r);
    const mean = x.reduce((a, b) => a + b) / 8;
    const deviation = (v: Float64Array) => Math.hypot(...v.map((y) => y - mean));
    for (let round = 0; round < 10; round++) {
      const before = deviation(x);
      x = x.map((v, r) => {
        const hood = topology.neighbourhood(r, round);
        return hood.self * v + hood.receive.reduce((s, e) => s + e.weight * x[e.peer]!, 0);
      });
      expect(x.reduce((a, b) => a + b) / 8).toBeCloseTo(mean, 12);
      expect(deviation(x)).toBeLessThanOrEqual(0.5 * before + 1e-12);
    }
  });

  it('refuses a number of ranks that is not a power of two, naming the option', () => {
    expect(() => new Hypercube(6)).toThrow(OptionError);
    expect(() => new Hypercube(6)).toThrow("hypercube: option 'size' must be a power of two (1, 2, 4, 8, …), got 6 ranks");
  });

  describe('passes the topology contract', () => {
    for (const c of topologyContract(hypercube, { sizes: [1, 2, 4, 8, 16] })) it(c.name, c.run);
  });
});
