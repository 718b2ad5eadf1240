import { CompositionError, ErrorFeedback, Scheduler, createRng, type Bucket, type ParamLayout } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { DeepGradientCompressionMomentum, deepGradientCompressionMomentum } from './deep-gradient-compression-momentum.js';
import { ERROR_FEEDBACK_RESIDUAL } from './internal/error-feedback-memory.js';
import { buildMomentum, flatLayout, momentumStepContext } from './testing/index.js';

const layout = flatLayout(10);

/** The residual memory of error feedback, p = x + e; e ← p − C(p), written out for the test. */
class Memory implements ErrorFeedback {
  readonly memory = new Map<string, Float32Array>();
  constructor(readonly name = 'errorFeedback') {}
  compensate(key: string, x: Float32Array): void {
    const e = this.memory.get(key);
    if (e) for (let i = 0; i < x.length; i++) x[i] += e[i]!;
  }
  update(key: string, compensated: Float32Array, transmitted: Float32Array): void {
    this.memory.set(key, Float32Array.from(compensated, (c, i) => c - transmitted[i]!));
  }
  residual(key: string, length: number): Float32Array {
    return this.memory.get(key)?.slice() ?? new Float32Array(length);
  }
  reset(): void {
    this.memory.clear();
  }
  snapshot() {
    return {};
  }
  restore() {}
}

/** Two buckets, as a scheduler might cut the buffer, sent in reverse order. */
const twoBuckets: Scheduler = {
  name: 'twoBuckets',
  plan: (l: ParamLayout) => {
    const buckets: Bucket[] = [
      { index: 0, offset: 0, length: 4, tensors: ['w'] },
      { index: 1, offset: 4, length: l.totalLength - 4, tensors: ['w'] },
    ];
    return { buckets, order: [1, 0], hash: 'two' };
  },
};

/** What the exchange does on one rank with top-k: compensate, keep the k largest, update the memory. */
function exchangeTopK(memory: Memory, gradients: Float32Array, buckets: readonly Bucket[], k: number): Float32Array {
  const sent = new Float32Array(gradients.length);
  for (const bucket of buckets) {
    const view = gradients.subarray(bucket.offset, bucket.offset + bucket.length);
    const key = `gradient/bucket-${bucket.index}`;
    memory.compensate(key, view);
    const order = [...view.keys()].sort((a, b) => Math.abs(view[b]!) - Math.abs(view[a]!) || a - b);
    const transmitted = new Float32Array(view.length);
    for (const i of order.slice(0, k)) transmitted[i] = view[i]!;
    memory.update(key, view, transmitted);
    sent.set(transmitted, bucket.offset);
    view.set(transmitted);
  }
  return sent;
}

function gradientsAt(step: number): Float32Array {
  const rng = createRng({ seed: 5, rank: 0, step, stream: 'dgc-test' });
  return Float32Array.from({ length: layout.totalLength }, () => rng.nextNormal());
}

function make(options: Parameters<typeof deepGradientCompressionMomentum>[0], memory: Memory, scheduler?: Scheduler) {
  const services: [typeof ErrorFeedback | typeof Scheduler, unknown][] = [[ErrorFeedback, memory]];
  if (scheduler) services.push([Scheduler, scheduler]);
  const plugin = buildMomentum<DeepGradientCompressionMomentum>(deepGradientCompressionMomentum(options), services);
  plugin.init(new Float32Array(layout.totalLength), momentumStepContext(layout, { step: 0 }));
  return plugin;
}

describe('deepGradientCompressionMomentum', () => {
  it('sends top-k of v ← v + u with u ← m·u + g, and masks u where an element was sent (DGC, written out)', () => {
    const m = 0.9;
    const k = 2;
    const memory = new Memory();
    const plugin = make({ momentum: m }, memory, twoBuckets);
    const buckets = twoBuckets.plan(layout).buckets;
    // Reference: DGC's momentum correction + factor masking, per element.
    const u = new Float64Array(layout.totalLength);
    const v = new Float64Array(layout.totalLength);
    for (let t = 0; t < 12; t++) {
      const g = gradientsAt(t);
      for (let i = 0; i < u.length; i++) {
        u[i] = m * u[i]! + g[i]!;
        v[i] = v[i]! + u[i]!;
      }
      const expectedSent = new Float64Array(u.length);
      for (const b of buckets) {
        const order = Array.from({ length: b.length }, (_, j) => b.offset + j).sort((a, c) => Math.abs(v[c]!) - Math.abs(v[a]!) || a - c);
        for (const i of order.slice(0, k)) {
          expectedSent[i] = v[i]!;
          v[i] = 0;
          u[i] = 0;
        }
      }
      const gradients = g.slice();
      plugin.onGradients(gradients);
      const sent = exchangeTopK(memory, gradients, buckets, k);
      plugin.onStep();
      sent.forEach((s, i) => expect(s).toBeCloseTo(expectedSent[i]!, 4));
      plugin.momentumBuffer().forEach((x, i) => expect(x).toBeCloseTo(u[i]!, 4));
      expect(plugin.momentumBuffer().filter((x, i) => sent[i] !== 0 && x !== 0)).toHaveLength(0);
    }
  });

  it('without factor masking, or when no gradient was exchanged, keeps u as plain momentum', () => {
    for (const factorMasking of [false, true]) {
      const memory = new Memory();
      const plugin = make({ momentum: 0.5, factorMasking }, memory);
      const reference = new Float64Array(layout.totalLength);
      for (let t = 0; t < 5; t++) {
        const g = gradientsAt(t);
        const gradients = g.slice();
        plugin.onGradients(gradients);
        reference.forEach((r, i) => (reference[i] = 0.5 * r + g[i]!));
        gradients.forEach((x, i) => expect(x).toBeCloseTo(reference[i]!, 5)); // the policy sends u
        if (factorMasking) plugin.onStep(); // a local step: the policy sent nothing, the memory is unchanged
        plugin.momentumBuffer().forEach((x, i) => expect(x).toBeCloseTo(reference[i]!, 5));
      }
      if (!factorMasking) {
        exchangeTopK(memory, plugin.momentumBuffer(), [layout.wholeBucket()], 1);
        plugin.onStep();
        plugin.momentumBuffer().forEach((x, i) => expect(x).toBeCloseTo(reference[i]!, 5));
      }
    }
  });

  it('needs error feedback, refuses momentumCorrection beside it, and checkpoints u', () => {
    const spec = deepGradientCompressionMomentum();
    expect(spec.options).toEqual({ momentum: 0.9, factorMasking: true });
    expect(spec.requires?.map((r) => [r.capability, r.from])).toEqual([[ERROR_FEEDBACK_RESIDUAL, 'error-feedback']]);
    const twice = () => buildMomentum(spec, [[ErrorFeedback, new Memory('momentumCorrection')]]);
    expect(twice).toThrow(CompositionError);
    expect(twice).toThrow(/'deepGradientCompressionMomentum' and error-feedback 'momentumCorrection' both apply momentum/);

    const a = make({}, new Memory());
    a.onGradients(gradientsAt(0));
    const b = make({}, new Memory());
    b.restore(a.snapshot());
    expect(b.momentumBuffer()).toEqual(a.momentumBuffer());
    expect(() => b.restore({ velocity: new Float32Array(3) })).toThrow(/'velocity' holds 3 elements, the model has 10/);
    expect(() => deepGradientCompressionMomentum({ momentum: -0.1 })).toThrow(
      "deepGradientCompressionMomentum: option 'momentum' must be a finite number >= 0 < 1, got -0.1",
    );
  });
});
