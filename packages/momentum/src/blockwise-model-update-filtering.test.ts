import { OptionError, StateError, createRng } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { BlockwiseModelUpdateFiltering, blockwiseModelUpdateFiltering, type BlockwiseModelUpdateFilteringOptions } from './blockwise-model-update-filtering.js';
import { SlowMo, slowMo } from './slow-mo.js';
import { buildMomentum, flatLayout, momentumStepContext } from './testing/index.js';

const layout = flatLayout(6);
const ctx = (step: number, size = 4, lr = 0.1) => momentumStepContext(layout, { step, size, lr });

function make(options: BlockwiseModelUpdateFilteringOptions, size = 4, start = vector(1)): BlockwiseModelUpdateFiltering {
  const bmuf = buildMomentum<BlockwiseModelUpdateFiltering>(blockwiseModelUpdateFiltering(options));
  bmuf.init(start.slice(), ctx(0, size));
  return bmuf;
}

/** A seeded float32 vector. */
function vector(seed: number): Float32Array {
  const rng = createRng({ seed, rank: 0, step: 0, stream: 'bmuf-test' });
  return Float32Array.from({ length: layout.totalLength }, () => rng.nextNormal());
}

describe('blockwiseModelUpdateFiltering', () => {
  it('with block momentum 0 and block learning rate 1 keeps every block average bit for bit (it is local SGD)', () => {
    for (const nesterov of [false, true]) {
      const bmuf = make({ blockMomentum: 0, blockLr: 1, nesterov });
      for (let t = 0; t < 10; t++) {
        const averaged = vector(100 + t);
        const x = averaged.slice();
        bmuf.onSync(x, ctx(t));
        expect(x).toEqual(averaged);
      }
    }
  });

  it('follows G = x₀ − x̄, Δ ← ηΔ + ζG, x ← x₀ − Δ (− ηΔ with Nesterov), x₀ ← x over several blocks', () => {
    const eta = 0.6;
    const zeta = 1.3;
    for (const nesterov of [false, true]) {
      const start = vector(2);
      const bmuf = make({ blockMomentum: eta, blockLr: zeta, nesterov }, 4, start);
      let x0 = Array.from(start, Number);
      let delta = x0.map(() => 0);
      for (let t = 0; t < 6; t++) {
        const averaged = vector(200 + t);
        delta = delta.map((d, i) => eta * d + zeta * (x0[i]! - averaged[i]!));
        const next = x0.map((x, i) => x - delta[i]! - (nesterov ? eta * delta[i]! : 0));
        const x = averaged.slice();
        bmuf.onSync(x, ctx(t));
        x.forEach((v, i) => expect(v).toBeCloseTo(next[i]!, 5));
        x0 = Array.from(x, Number);
      }
    }
  });

  it('is a first-order filter: a constant block update d is amplified to ζd/(1−η), and by (1+η) more with Nesterov', () => {
    for (const nesterov of [false, true]) {
      const x = new Float32Array(layout.totalLength);
      const bmuf = make({ blockMomentum: 0.75, blockLr: 0.5, nesterov }, 4, x);
      let step = 0;
      for (let t = 0; t < 80; t++) {
        const before = x[0]!;
        x.fill(before - 0.01); // each block moves every coordinate down by d = 0.01
        bmuf.onSync(x, ctx(t));
        step = before - x[0]!;
      }
      expect(step).toBeCloseTo(((0.5 * 0.01) / (1 - 0.75)) * (nesterov ? 1.75 : 1), 5);
    }
  });

  it('classical BMUF with η = β and ζ = α is SlowMo at a constant learning rate', () => {
    const start = vector(3);
    const bmuf = make({ blockMomentum: 0.7, blockLr: 0.9, nesterov: false }, 4, start);
    const slow = buildMomentum<SlowMo>(slowMo({ beta: 0.7, alpha: 0.9 }));
    slow.init(start.slice());
    for (let t = 0; t < 8; t++) {
      const a = vector(300 + t);
      const b = a.slice();
      bmuf.onSync(a, ctx(t));
      slow.onSync(b, ctx(t, 4, 0.05));
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
    }
  });

  it("takes η = 1 − 1/m on m ranks for blockMomentum 'auto' (Chen & Huo's rule)", () => {
    expect(make({}, 4).eta).toBe(0.75);
    expect(make({}, 8).eta).toBe(0.875);
    expect(make({}, 1).eta).toBe(0);
    expect(make({ blockMomentum: 0.3 }, 8).eta).toBe(0.3);
    expect(blockwiseModelUpdateFiltering().options).toEqual({ blockMomentum: 'auto', blockLr: 1, nesterov: true, baseBuffer: 'reset', period: 48 });
    expect(() => blockwiseModelUpdateFiltering({ period: 0 })).toThrow(/blockwiseModelUpdateFiltering: option 'period'/);
  });

  it('continues bit for bit after snapshot/restore and refuses a malformed snapshot', () => {
    const a = make({ blockMomentum: 0.8 });
    a.onSync(vector(4), ctx(0));
    const b = make({ blockMomentum: 0.1 }, 4, new Float32Array(layout.totalLength));
    b.restore(a.snapshot());
    const xa = vector(5);
    const xb = xa.slice();
    a.onSync(xa, ctx(1));
    b.onSync(xb, ctx(1));
    expect(xb).toEqual(xa);
    expect(() => b.restore({ start: new Float32Array(6), filtered: new Float32Array(6), blockMomentum: 0.5 })).toThrow(
      "blockwiseModelUpdateFiltering: snapshot field 'filtered' must be a Float64Array, got a Float32Array",
    );
    expect(() => b.restore({ start: new Float32Array(3), filtered: new Float64Array(3), blockMomentum: 0.5 })).toThrow(/holds 3 elements, the model has 6/);
    expect(() => b.restore({ start: new Float32Array(6), filtered: new Float64Array(6), blockMomentum: 1 })).toThrow(StateError);
  });

  it('validates its options, naming the option and the allowed range', () => {
    expect(() => blockwiseModelUpdateFiltering({ blockMomentum: 1 })).toThrow(
      "blockwiseModelUpdateFiltering: option 'blockMomentum' must be a finite number >= 0 < 1, got 1",
    );
    expect(() => blockwiseModelUpdateFiltering({ blockMomentum: 'half' as never })).toThrow(/must be 'auto' or a finite number/);
    expect(() => blockwiseModelUpdateFiltering({ blockLr: 0 })).toThrow(OptionError);
    expect(() => blockwiseModelUpdateFiltering({ nesterov: 'yes' as never })).toThrow(/'nesterov' must be true or false/);
    expect(() => blockwiseModelUpdateFiltering({ momentum: 0.9 } as never)).toThrow(/'momentum' is not an option of blockwiseModelUpdateFiltering/);
    expect(() => buildMomentum<BlockwiseModelUpdateFiltering>(blockwiseModelUpdateFiltering()).onSync(new Float32Array(6), ctx(0))).toThrow(
      /init\(parameters\) must run/,
    );
  });
});
