import { describe, expect, it } from 'vitest';
import { randomMatchings } from './random-matchings.js';

describe('randomMatchings', () => {
  it('pairs every rank with at most one peer (one sits out when n is odd), weights ½', () => {
    for (const n of [1, 2, 5, 8]) {
      const t = randomMatchings().build(n);
      for (let step = 0; step < 20; step++) {
        const alone = Array.from({ length: n }, (_, r) => t.neighbourhood(r, step)).filter((h) => h.receive.length === 0);
        expect(alone.length).toBe(n % 2);
        for (let r = 0; r < n; r++) {
          const hood = t.neighbourhood(r, step);
          expect(hood.receive.length).toBeLessThanOrEqual(1);
          if (hood.receive.length === 1) {
            expect(hood.self).toBe(0.5);
            expect(t.neighbourhood(hood.receive[0]!.peer, step).receive[0]!.peer).toBe(r);
          }
        }
      }
    }
  });

  it('depends only on (seed, step): same seed same matching, other seeds or steps differ', () => {
    const graphOf = (seed: number, step: number) => Array.from({ length: 8 }, (_, r) => randomMatchings({ seed }).build(8).neighbourhood(r, step).receive[0]!.peer);
    expect(graphOf(1, 4)).toEqual(graphOf(1, 4));
    const distinct = new Set(Array.from({ length: 10 }, (_, step) => graphOf(1, step).join(',')));
    expect(distinct.size).toBeGreaterThan(5);
    expect(graphOf(1, 4)).not.toEqual(graphOf(2, 4));
  });

  it('draws every pair equally often (the expected mixing matrix is the complete graph’s)', () => {
    // n = 6: each of the 5 possible partners of rank 0 has probability 1/5. Over 5000 steps the
    // count of each is Binomial(5000, 0.2): mean 1000, standard deviation ≈ 28.3; allow ±5σ.
    const t = randomMatchings({ seed: 11 }).build(6);
    const counts = new Array(6).fill(0);
    for (let step = 0; step < 5000; step++) counts[t.neighbourhood(0, step).receive[0]!.peer]++;
    expect(counts[0]).toBe(0);
    for (const c of counts.slice(1)) expect(Math.abs(c - 1000)).toBeLessThan(5 * 28.3);
  });

  it('checks its seed', () => {
    expect(() => randomMatchings({ seed: -1 })).toThrow(/randomMatchings: option 'seed' must be an integer >= 0/);
  });
});
