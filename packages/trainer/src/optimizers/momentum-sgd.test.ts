import { OptionError, ParamLayout, StateError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { momentumSgd } from './momentum-sgd.js';

const layout = ParamLayout.of([{ name: 'w', shape: [2] }]);

describe('momentumSgd', () => {
  it('under a constant gradient g moves by γ·g·Σ_{k<t}(1−μ^{k+1})/(1−μ) after t steps (heavy ball)', () => {
    const mu = 0.5;
    const lr = 0.1;
    const x = new Float32Array(2);
    const g = Float32Array.of(1, -2);
    const optimizer = momentumSgd({ momentum: mu }).create(layout);
    let expected = 0;
    for (let t = 1; t <= 6; t++) {
      optimizer.step(x, g, lr);
      expected += (1 - mu ** t) / (1 - mu);
      expect(x[0]).toBeCloseTo(-lr * expected, 5);
      expect(x[1]).toBeCloseTo(2 * lr * expected, 5);
    }
  });

  it('continues bit-for-bit after snapshot/restore, and resetBuffers zeroes the velocity', () => {
    const a = momentumSgd().create(layout);
    const xa = Float32Array.of(1, 1);
    for (let i = 0; i < 3; i++) a.step(xa, Float32Array.of(0.3 * i, -0.7), 0.05);
    const b = momentumSgd().create(layout);
    b.restore(a.snapshot());
    const xb = xa.slice();
    a.step(xa, Float32Array.of(0.2, 0.1), 0.05);
    b.step(xb, Float32Array.of(0.2, 0.1), 0.05);
    expect(xb).toEqual(xa);
    a.resetBuffers();
    expect([...a.buffers()[0]!]).toEqual([0, 0]);
  });

  it('rejects a momentum outside [0, 1) and a snapshot of the wrong length', () => {
    expect(() => momentumSgd({ momentum: 1 })).toThrow(/momentumSgd: option 'momentum' must be a finite number >= 0 < 1, got 1/);
    expect(() => momentumSgd({ momentum: -0.1 })).toThrow(OptionError);
    expect(() => momentumSgd().create(layout).restore({ velocity: new Float32Array(3) })).toThrow(StateError);
  });
});
