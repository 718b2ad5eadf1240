import { CompositionError, ErrorFeedback, createRng } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { GlobalMomentumCompression, globalMomentumCompression } from './global-momentum-compression.js';
import { buildMomentum, flatLayout, momentumStepContext } from './testing/index.js';

const layout = flatLayout(6);
const plainMemory = { name: 'errorFeedback' } as ErrorFeedback;

function make(momentum: number, start: Float32Array): GlobalMomentumCompression {
  const plugin = buildMomentum<GlobalMomentumCompression>(globalMomentumCompression({ momentum }), [[ErrorFeedback, plainMemory]]);
  plugin.init(start.slice());
  return plugin;
}

function noise(step: number): Float32Array {
  const rng = createRng({ seed: 9, rank: 0, step, stream: 'gmc-test' });
  return Float32Array.from({ length: layout.totalLength }, () => 0.1 * rng.nextNormal());
}

describe('globalMomentumCompression', () => {
  it('adds β·(x_{t−1} − x_t)/γ_{t−1} to the gradient: heavy-ball momentum when nothing is dropped, under a changing γ', () => {
    const beta = 0.8;
    const plugin = make(beta, new Float32Array(6).fill(1));
    const x = new Float32Array(6).fill(1);
    // Reference heavy ball on f(x) = ½‖x‖² with noise: v ← βv + g, x ← x − γ_t·v.
    const xr = new Float64Array(6).fill(1);
    const v = new Float64Array(6);
    for (let t = 0; t < 15; t++) {
      const lr = 0.1 / (1 + 0.2 * t);
      const n = noise(t);
      const g = Float32Array.from(x, (xi, i) => xi + n[i]!);
      plugin.onGradients(g);
      for (let i = 0; i < 6; i++) x[i] = x[i]! - lr * g[i]!; // sgd on what would be sent
      plugin.onStep(x, momentumStepContext(layout, { step: t, lr }));
      for (let i = 0; i < 6; i++) {
        v[i] = beta * v[i]! + xr[i]! + n[i]!;
        xr[i] = xr[i]! - lr * v[i]!;
      }
      x.forEach((xi, i) => expect(xi).toBeCloseTo(xr[i]!, 4));
    }
    expect(Math.abs(x[0]!)).toBeLessThan(0.5);
  });

  it('the first step has no momentum (x_{−1} = x₀), and a checkpoint continues bit for bit', () => {
    const start = noise(1);
    const a = make(0.9, start);
    const g = noise(2);
    const first = g.slice();
    a.onGradients(first);
    expect(first).toEqual(g);
    const x = start.map((s, i) => s - 0.1 * g[i]!);
    a.onStep(x, momentumStepContext(layout, { step: 0, lr: 0.1 }));
    const b = make(0.9, new Float32Array(6));
    b.restore(a.snapshot());
    const ga = noise(3);
    const gb = ga.slice();
    a.onGradients(ga);
    b.onGradients(gb);
    expect(gb).toEqual(ga);
    expect(() => b.restore({ last: new Float32Array(6) })).toThrow("globalMomentumCompression: snapshot field 'direction' must be a Float32Array, got nothing");
  });

  it('needs error feedback, refuses momentumCorrection, and validates its options', () => {
    expect(globalMomentumCompression().options).toEqual({ momentum: 0.9 });
    expect(globalMomentumCompression().requires?.[0]?.capability).toBe('error-feedback:residual');
    expect(() => buildMomentum(globalMomentumCompression(), [[ErrorFeedback, { name: 'momentumCorrection' }]])).toThrow(CompositionError);
    expect(() => globalMomentumCompression({ momentum: 1 })).toThrow("globalMomentumCompression: option 'momentum' must be a finite number >= 0 < 1, got 1");
    expect(() => globalMomentumCompression({ beta: 0.9 } as never)).toThrow(/'beta' is not an option/);
  });
});
