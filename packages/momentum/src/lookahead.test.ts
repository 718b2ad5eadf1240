import { OptionError, StateError, createRng } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { Lookahead, lookahead, type LookaheadOptions } from './lookahead.js';
import { buildMomentum, flatLayout, momentumStepContext } from './testing/index.js';

const layout = flatLayout(5);

function make(options: LookaheadOptions, start: Float32Array): Lookahead {
  const plugin = buildMomentum<Lookahead>(lookahead(options));
  plugin.init(start.slice());
  return plugin;
}

/** The fast weights after each base step: a seeded random walk. */
function walk(seed: number, steps: number): Float32Array[] {
  const rng = createRng({ seed, rank: 0, step: 0, stream: 'lookahead-test' });
  return Array.from({ length: steps }, () => Float32Array.from({ length: layout.totalLength }, () => rng.nextNormal()));
}

describe('lookahead', () => {
  it('with α = 1 leaves the base optimizer alone, bit for bit', () => {
    const plugin = make({ alpha: 1, steps: 3 }, new Float32Array(5));
    for (const [t, fast] of walk(1, 12).entries()) {
      const x = fast.slice();
      plugin.onStep(x, momentumStepContext(layout, { step: t }));
      expect(x).toEqual(fast);
    }
  });

  it('every k steps moves the slow weights α of the way to the fast ones and restarts the fast weights there', () => {
    const alpha = 0.4;
    const k = 3;
    const start = walk(2, 1)[0]!;
    const plugin = make({ alpha, steps: k }, start);
    let slow = Array.from(start, Number);
    let fast = Array.from(start, Number);
    const moves = walk(3, 10);
    for (let t = 0; t < 10; t++) {
      fast = fast.map((v, i) => v + 0.1 * moves[t]![i]!); // a base step from wherever the fast weights are
      const x = Float32Array.from(fast);
      plugin.onStep(x, momentumStepContext(layout, { step: t }));
      if ((t + 1) % k === 0) {
        slow = slow.map((s, i) => s + alpha * (fast[i]! - s));
        fast = [...slow];
      }
      x.forEach((v, i) => expect(v).toBeCloseTo(fast[i]!, 5));
      fast = Array.from(x, Number);
    }
  });

  it('continues bit for bit after snapshot/restore and refuses a malformed snapshot', () => {
    const [a0, a1, a2] = walk(4, 3);
    const a = make({ steps: 2 }, a0!);
    a.onStep(a1!.slice(), momentumStepContext(layout, { step: 1 }));
    const b = make({ steps: 2 }, new Float32Array(5));
    b.restore(a.snapshot());
    const xa = a2!.slice();
    const xb = a2!.slice();
    a.onStep(xa, momentumStepContext(layout, { step: 3 }));
    b.onStep(xb, momentumStepContext(layout, { step: 3 }));
    expect(xb).toEqual(xa);
    expect(() => b.restore({ slow: new Float64Array(5) })).toThrow(StateError);
    expect(() => b.restore({})).toThrow("lookahead: snapshot field 'slow' must be a Float32Array, got nothing");
  });

  it('validates its options and refuses a step before init', () => {
    expect(lookahead().options).toEqual({ alpha: 0.5, steps: 5 });
    expect(() => lookahead({ alpha: 0 })).toThrow("lookahead: option 'alpha' must be a finite number > 0 <= 1, got 0");
    expect(() => lookahead({ alpha: 1.5 })).toThrow(OptionError);
    expect(() => lookahead({ steps: 2.5 })).toThrow("lookahead: option 'steps' must be an integer >= 1, got 2.5");
    expect(() => lookahead({ k: 5 } as never)).toThrow(/'k' is not an option of lookahead/);
    expect(() => buildMomentum<Lookahead>(lookahead()).onStep(new Float32Array(5), momentumStepContext(layout, { step: 4 }))).toThrow(
      /init\(parameters\) must run/,
    );
  });
});
