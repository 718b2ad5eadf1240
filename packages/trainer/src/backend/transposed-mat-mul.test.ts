import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyTransposedMatMulFix, isUntransposedMatMul } from './transposed-mat-mul.js';
import { bothBackends, maxAbs, maxAbsDifference, normals, valuesOn } from './testing/compare-backends.js';

// Float32 products of N(0,1) entries summed over K terms differ between backends only by
// accumulation order: we allow 1e-5·K absolute (≈ 160 float32 ulps of a typical entry, √K).
const tolerance = (k: number) => 1e-5 * k;

const cases: { name: string; a: number[]; b: number[]; transposeA: boolean; transposeB: boolean; k: number }[] = [
  { name: 'dense weight gradient xᵀ·dy', a: [64, 200], b: [64, 48], transposeA: true, transposeB: false, k: 64 },
  { name: 'dense input gradient dy·Wᵀ', a: [64, 48], b: [200, 48], transposeA: false, transposeB: true, k: 48 },
  { name: 'both transposed', a: [30, 20], b: [40, 30], transposeA: true, transposeB: true, k: 30 },
  { name: 'batched, rank 3', a: [3, 17, 9], b: [3, 17, 5], transposeA: true, transposeB: false, k: 17 },
  { name: 'batched with broadcast', a: [4, 11, 6], b: [1, 7, 11], transposeA: true, transposeB: true, k: 11 },
  { name: 'no transpose (passes through)', a: [8, 5], b: [5, 3], transposeA: false, transposeB: false, k: 5 },
];

describe('transposed matrix products on wasm', () => {
  beforeAll(async () => {
    await bothBackends();
    // Why this fix exists: stock wasm is several times slower with transposeA (see docs/benchmarks.md).
    expect(isUntransposedMatMul(tf.getKernel('BatchMatMul', 'wasm'))).toBe(false);
    expect(applyTransposedMatMulFix('wasm')).toEqual(['BatchMatMul', '_FusedMatMul']);
  });

  it.each(cases)('$name matches the cpu backend', async ({ name, a, b, transposeA, transposeB, k }) => {
    const compute = () => tf.matMul(tf.tensor(normals(a.reduce((x, y) => x * y), `${name}/a`), a), tf.tensor(normals(b.reduce((x, y) => x * y), `${name}/b`), b), transposeA, transposeB);
    const [reference] = await valuesOn('cpu', compute);
    const [fixed] = await valuesOn('wasm', compute);
    expect(maxAbs(reference!)).toBeGreaterThan(0.5);
    expect(maxAbsDifference(fixed!, reference!)).toBeLessThan(tolerance(k));
  });

  it('fused product with bias and relu matches the cpu backend', async () => {
    const compute = () =>
      tf.fused.matMul({
        a: tf.tensor(normals(32 * 24, 'fused/a'), [32, 24]),
        b: tf.tensor(normals(32 * 16, 'fused/b'), [32, 16]),
        transposeA: true,
        bias: tf.tensor(normals(16, 'fused/bias'), [16]),
        activation: 'relu',
      });
    const [reference] = await valuesOn('cpu', compute);
    const [fixed] = await valuesOn('wasm', compute);
    expect(maxAbsDifference(fixed!, reference!)).toBeLessThan(tolerance(32));
  });

  it('gives the gradients of a two-layer network that the cpu backend gives', async () => {
    // Backprop of x·W1 → relu → ·W2 uses xᵀ·dy and dy·Wᵀ, i.e. both rewritten paths.
    const compute = () => {
      const x = tf.tensor(normals(16 * 30, 'mlp/x'), [16, 30]);
      const w1 = tf.tensor(normals(30 * 20, 'mlp/w1'), [30, 20]);
      const w2 = tf.tensor(normals(20 * 5, 'mlp/w2'), [20, 5]);
      const loss = (v1: tf.Tensor, v2: tf.Tensor) => tf.sum(tf.square(tf.matMul(tf.relu(tf.matMul(x, v1)), v2))) as tf.Scalar;
      return tf.grads(loss)([w1, w2]);
    };
    const reference = await valuesOn('cpu', compute);
    const fixed = await valuesOn('wasm', compute);
    for (let i = 0; i < 2; i++) {
      // Gradient entries are sums of ~16·20 products of O(10) terms: scale the tolerance by the magnitude.
      expect(maxAbsDifference(fixed[i]!, reference[i]!)).toBeLessThan(1e-5 * maxAbs(reference[i]!));
    }
  });

  it('is idempotent and leaks no memory', async () => {
    expect(applyTransposedMatMulFix('wasm')).toEqual([]);
    expect(isUntransposedMatMul(tf.getKernel('BatchMatMul', 'wasm'))).toBe(true);
    await tf.setBackend('wasm');
    const a = tf.tensor(normals(40 * 30, 'leak/a'), [40, 30]);
    const b = tf.tensor(normals(40 * 20, 'leak/b'), [40, 20]);
    tf.dispose(tf.matMul(a, b, true, false));
    const before = tf.memory();
    for (let i = 0; i < 5; i++) tf.dispose(tf.matMul(a, b, true, false));
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    tf.dispose([a, b]);
  });

  it('leaves a backend without the kernels alone', () => {
    expect(applyTransposedMatMulFix('no-such-backend')).toEqual([]);
  });
});
