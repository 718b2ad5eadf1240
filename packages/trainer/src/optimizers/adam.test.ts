import { OptionError, ParamLayout, StateError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { adam } from './adam.js';

const layout = ParamLayout.of([{ name: 'w', shape: [3] }]);

describe('adam', () => {
  it('is scale-invariant: under a constant gradient every step moves each coordinate by ≈ lr·sign(g)', () => {
    const optimizer = adam({ epsilon: 1e-12 }).create(layout);
    const x = new Float32Array(3);
    const g = Float32Array.of(1e-3, -5, 200);
    for (let t = 1; t <= 4; t++) {
      optimizer.step(x, g, 0.01);
      expect(x[0]).toBeCloseTo(-0.01 * t, 6);
      expect(x[1]).toBeCloseTo(0.01 * t, 6);
      expect(x[2]).toBeCloseTo(-0.01 * t, 6);
    }
  });

  it('restarts the bias correction when its buffers are reset', () => {
    const a = adam().create(layout);
    const x = new Float32Array(3);
    a.step(x, Float32Array.of(1, 2, 3), 0.1);
    a.step(x, Float32Array.of(-1, 0.5, 3), 0.1);
    a.resetBuffers();
    const fresh = adam().create(layout);
    const xa = Float32Array.of(1, 1, 1);
    const xb = xa.slice();
    a.step(xa, Float32Array.of(0.4, -0.2, 9), 0.1);
    fresh.step(xb, Float32Array.of(0.4, -0.2, 9), 0.1);
    expect(xa).toEqual(xb);
  });

  it('continues bit-for-bit after snapshot/restore and rejects bad snapshots and options', () => {
    const a = adam().create(layout);
    const x = Float32Array.of(0.1, 0.2, 0.3);
    a.step(x, Float32Array.of(1, -1, 0.5), 0.01);
    const b = adam().create(layout);
    b.restore(a.snapshot());
    const y = x.slice();
    a.step(x, Float32Array.of(0.2, 0.3, -0.4), 0.01);
    b.step(y, Float32Array.of(0.2, 0.3, -0.4), 0.01);
    expect(y).toEqual(x);
    expect(() => b.restore({ m: new Float32Array(3), v: new Float32Array(3), t: -1 })).toThrow(StateError);
    expect(b.step(y, Float32Array.of(0, NaN, 1), 0.01)).toBe(1);
    expect(() => adam({ beta2: 1 })).toThrow(OptionError);
    expect(() => adam({ epsilon: 0 })).toThrow(/adam: option 'epsilon' must be a finite number > 0/);
  });
});
