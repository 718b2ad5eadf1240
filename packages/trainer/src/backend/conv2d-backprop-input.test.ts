import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyConv2dBackpropInputFix, isConv2dBackpropInputFix } from './conv2d-backprop-input.js';
import { bothBackends, maxAbs, maxAbsDifference, normals, valuesOn } from './testing/compare-backends.js';

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];

interface Case {
  readonly name: string;
  readonly x: [number, number, number, number]; // NHWC shape of the forward input
  readonly filter: [number, number, number, number];
  readonly strides: [number, number];
  readonly pad: Pad;
}

// Stride-1 cases run as a forward convolution; the others check that the original kernel still serves them.
const cases: Case[] = [
  { name: '3×3 valid', x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: [1, 1], pad: 'valid' },
  { name: '3×3 same', x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: [1, 1], pad: 'same' },
  { name: '2×4 same (uneven padding)', x: [1, 7, 9, 2], filter: [2, 4, 2, 3], strides: [1, 1], pad: 'same' },
  { name: '5×5 numeric pad 1', x: [2, 8, 8, 2], filter: [5, 5, 2, 3], strides: [1, 1], pad: 1 },
  { name: '3×3 explicit pad', x: [1, 6, 7, 2], filter: [3, 3, 2, 2], strides: [1, 1], pad: [[0, 0], [2, 0], [1, 1], [0, 0]] },
  { name: 'padding larger than the filter (original kernel)', x: [1, 5, 5, 2], filter: [2, 2, 2, 2], strides: [1, 1], pad: 3 },
  { name: 'stride 2 same (original kernel)', x: [2, 9, 10, 3], filter: [3, 3, 3, 4], strides: [2, 2], pad: 'same' },
];

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function dyShape(c: Case): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad).outShape;
}

describe('Conv2DBackpropInput on wasm', () => {
  beforeAll(async () => {
    await bothBackends();
    expect(isConv2dBackpropInputFix(tf.getKernel('Conv2DBackpropInput', 'wasm'))).toBe(false);
    expect(applyConv2dBackpropInputFix('wasm')).toBe(true);
  });

  it.each(cases)('$name: matches the cpu backend', async (c) => {
    const compute = () => {
      const dy = tf.tensor(normals(size(dyShape(c)), `${c.name}/dy`), dyShape(c));
      const filter = tf.tensor4d(normals(size(c.filter), `${c.name}/filter`), c.filter);
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
      return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    };
    const [reference] = await valuesOn('cpu', compute);
    const [fixed] = await valuesOn('wasm', compute);
    expect(fixed).toHaveLength(size(c.x));
    expect(maxAbs(reference!)).toBeGreaterThan(1);
    // Each entry sums at most KH·KW·O products of N(0,1) numbers; allow 1e-5 per term.
    expect(maxAbsDifference(fixed!, reference!)).toBeLessThan(1e-5 * size(c.filter.slice(0, 2)) * c.filter[3]);
  });

  it('is the gradient of conv2d with respect to its input (same as the cpu backend through tf.grad)', async () => {
    const compute = () => {
      const filter = tf.tensor4d(normals(3 * 3 * 4 * 5, 'grad/filter'), [3, 3, 4, 5]);
      const weights = tf.tensor4d(normals(2 * 7 * 7 * 5, 'grad/weights'), [2, 7, 7, 5]);
      const x = tf.tensor4d(normals(2 * 7 * 7 * 4, 'grad/x'), [2, 7, 7, 4]);
      return tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(input as tf.Tensor4D, filter, 1, 'same'), weights)))(x);
    };
    const [reference] = await valuesOn('cpu', compute);
    const [fixed] = await valuesOn('wasm', compute);
    expect(maxAbsDifference(fixed!, reference!)).toBeLessThan(1e-5 * maxAbs(reference!));
  });

  it('is idempotent and frees its intermediates', async () => {
    expect(applyConv2dBackpropInputFix('wasm')).toBe(false);
    expect(applyConv2dBackpropInputFix('no-such-backend')).toBe(false);
    await tf.setBackend('wasm');
    const dy = tf.tensor4d(normals(2 * 9 * 9 * 4, 'leak/dy'), [2, 9, 9, 4]);
    const filter = tf.tensor4d(normals(3 * 3 * 3 * 4, 'leak/f'), [3, 3, 3, 4]);
    const run = () => tf.conv2dTranspose(dy, filter, [2, 9, 9, 3], 1, 'same');
    tf.dispose(run());
    const before = tf.memory();
    for (let i = 0; i < 3; i++) tf.dispose(run());
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    tf.dispose([dy, filter]);
  });
});
