import { momentumContract } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { OuterNesterov, outerNesterov } from './outer-nesterov.js';

describe('outerNesterov', () => {
  it('takes Nesterov steps on the pseudo-gradient θ − x̄ at each sync', () => {
    const outer = new OuterNesterov({ lr: 0.7, momentum: 0.9 });
    outer.init(Float32Array.of(0));
    const first = Float32Array.of(1); // Δ = −1, v = −1, θ = 0 − 0.7·(−1 − 0.9) = 1.33
    outer.onSync(first);
    expect(first[0]).toBeCloseTo(1.33, 6);
    const second = Float32Array.of(2); // Δ = −0.67, v = −1.57, θ = 1.33 + 0.7·(0.67 + 1.413) = 2.7881
    outer.onSync(second);
    expect(second[0]).toBeCloseTo(2.7881, 5);
  });

  it('with η = 1 and μ = 0 returns the sync policy’s average', () => {
    const outer = new OuterNesterov({ lr: 1, momentum: 0 });
    outer.init(Float32Array.of(3, -1));
    const averaged = Float32Array.of(0.25, 5);
    outer.onSync(averaged);
    expect([...averaged]).toEqual([0.25, 5]);
  });

  it('checks its options', () => {
    expect(() => outerNesterov({ momentum: 1 })).toThrow("outerNesterov: option 'momentum' must be a finite number >= 0 < 1, got 1");
    expect(outerNesterov().options).toEqual({ lr: 0.7, momentum: 0.9 });
  });

  describe('passes the momentum contract', () => {
    const invalidOptions = [
      { options: { lr: 0 }, option: 'lr' },
      { options: { momentum: -0.1 }, option: 'momentum' },
    ];
    for (const c of momentumContract(outerNesterov, { invalidOptions })) it(c.name, c.run);
  });
});
