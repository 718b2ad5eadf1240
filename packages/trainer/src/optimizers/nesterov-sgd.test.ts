import { OptionError, ParamLayout } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { nesterovSgd } from './nesterov-sgd.js';

const layout = ParamLayout.of([{ name: 'w', shape: [1] }]);

describe('nesterovSgd', () => {
  it('steps by γ·(g + μ·v) with v ← μv + g (the look-ahead form)', () => {
    const mu = 0.9;
    const lr = 0.01;
    const optimizer = nesterovSgd({ momentum: mu }).create(layout);
    const x = new Float32Array(1);
    let v = 0;
    let reference = 0;
    for (const g of [1, 0.5, -2, 3]) {
      optimizer.step(x, Float32Array.of(g), lr);
      v = mu * v + g;
      reference -= lr * (g + mu * v);
      expect(x[0]).toBeCloseTo(reference, 6);
    }
  });

  it('differs from heavy-ball momentum only by the look-ahead term: with μ = 0 it is plain SGD', () => {
    const optimizer = nesterovSgd({ momentum: 0 }).create(layout);
    const x = Float32Array.of(1);
    optimizer.step(x, Float32Array.of(2), 0.25);
    expect(x[0]).toBe(0.5);
    expect(() => nesterovSgd({ momentum: 2 })).toThrow(OptionError);
  });

  it('restores its velocity bit-for-bit', () => {
    const a = nesterovSgd().create(layout);
    const x = Float32Array.of(0.3);
    a.step(x, Float32Array.of(0.7), 0.1);
    const b = nesterovSgd().create(layout);
    b.restore(a.snapshot());
    const y = x.slice();
    a.step(x, Float32Array.of(-0.1), 0.1);
    b.step(y, Float32Array.of(-0.1), 0.1);
    expect(y).toEqual(x);
  });
});
