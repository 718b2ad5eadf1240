import { OptionError, ParamLayout, StateError, createRng, type StepContext } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { SlowMo, slowMo } from './slow-mo.js';
import { buildMomentum } from './testing/plugin-harness.js';

const layout = ParamLayout.of([{ name: 'w', shape: [4] }]);
const ctx = (step: number, lr: number): StepContext => ({
  step,
  epoch: 0,
  lr,
  rank: 0,
  size: 1,
  layout,
  rng: (stream) => createRng({ seed: 0, rank: 0, step, stream }),
  trace() {},
});

/** SlowMo as a trainer builds it over a policy that averages exactly (no ProvidedCapabilities: the syncs are the policy's). */
function make(options: Parameters<typeof slowMo>[0]): SlowMo {
  return buildMomentum<SlowMo>(slowMo(options));
}

/** Random float32 vectors from the seeded generator. */
function vector(seed: number, n = 4): Float32Array {
  const rng = createRng({ seed, rank: 0, step: 0, stream: 'test' });
  return Float32Array.from({ length: n }, () => rng.nextNormal());
}

describe('slowMo', () => {
  it('with α = 1, β = 0 returns the averaged parameters bit for bit (it reduces to the base algorithm)', () => {
    const slow = make({ alpha: 1, beta: 0 });
    slow.init(vector(1));
    for (let t = 0; t < 20; t++) {
      const averaged = vector(100 + t);
      const x = averaged.slice();
      slow.onSync(x, ctx(t, 0.013 * (t + 1)));
      expect(x).toEqual(averaged);
    }
  });

  it('follows u ← βu + (x₀ − x̄)/γ, x₀ ← x₀ − αγu over several outer steps with a changing γ', () => {
    const alpha = 0.7;
    const beta = 0.6;
    const slow = make({ alpha, beta });
    let x0 = Array.from(vector(2), Number);
    slow.init(Float32Array.from(x0));
    let u = [0, 0, 0, 0];
    for (let t = 0; t < 5; t++) {
      const lr = 0.1 / (t + 1);
      const averaged = vector(200 + t);
      u = u.map((ui, i) => beta * ui + (x0[i]! - averaged[i]!) / lr);
      x0 = x0.map((xi, i) => xi - alpha * lr * u[i]!);
      const x = averaged.slice();
      slow.onSync(x, ctx(t, lr));
      x.forEach((v, i) => expect(v).toBeCloseTo(x0[i]!, 5));
      x0 = Array.from(x, Number); // continue from what every rank now holds
    }
  });

  it('is heavy-ball momentum on the outer iterate: with a constant drift d the step grows to αd/(1−β)', () => {
    const slow = make({ alpha: 1, beta: 0.5 });
    const x = new Float32Array(4);
    slow.init(x);
    const steps: number[] = [];
    for (let t = 0; t < 30; t++) {
      const before = x[0]!;
      x.fill(before - 0.01); // the inner loop moved every coordinate by d = 0.01
      slow.onSync(x, ctx(t, 0.1));
      steps.push(before - x[0]!);
    }
    expect(steps[0]).toBeCloseTo(0.01, 6);
    expect(steps[29]).toBeCloseTo(0.01 / (1 - 0.5), 5);
  });

  it('continues bit for bit after snapshot/restore', () => {
    const a = make({ beta: 0.8 });
    a.init(vector(3));
    a.onSync(vector(4), ctx(0, 0.05));
    const b = make({ beta: 0.8 });
    b.init(new Float32Array(4));
    b.restore(a.snapshot());
    const xa = vector(5);
    const xb = xa.slice();
    a.onSync(xa, ctx(1, 0.05));
    b.onSync(xb, ctx(1, 0.05));
    expect(xb).toEqual(xa);
    expect(() => b.restore({ anchor: new Float32Array(4), slow: new Float32Array(4) })).toThrow(StateError);
  });

  it('validates options and refuses a zero learning rate or a sync before init', () => {
    expect(() => slowMo({ beta: 1 })).toThrow(/slowMo: option 'beta' must be a finite number >= 0 < 1, got 1/);
    expect(() => slowMo({ alpha: 0 })).toThrow(OptionError);
    expect(() => slowMo({ baseBuffer: 'maintain' as never })).toThrow(/'reset', 'average', 'keep'/);
    expect(slowMo().options).toEqual({ alpha: 1, beta: 0.5, baseBuffer: 'reset', period: 48 });
    expect(() => slowMo({ period: 0 })).toThrow(/slowMo: option 'period'/);
    expect(() => slowMo({ period: 2.5 })).toThrow(/slowMo: option 'period'/);
    expect(() => make({}).onSync(new Float32Array(4), ctx(0, 0.1))).toThrow(/init\(parameters\) must run/);
    const slow = make({});
    slow.init(new Float32Array(4));
    expect(() => slow.onSync(new Float32Array(4), ctx(3, 0))).toThrow(/γ > 0 .* got 0 at step 3/);
    expect(make({ baseBuffer: 'keep' }).baseBuffer).toBe('keep');
  });
});
