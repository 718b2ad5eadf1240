import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../backend/index.js';
import { readTensorInto } from './read-tensor.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('readTensorInto', () => {
  it('copies exactly what dataSync returns, at the offset, on wasm (heap path) and cpu', async () => {
    for (const backend of ['wasm', 'cpu']) {
      if (backend === 'wasm') await startWasmBackend();
      else await tf.setBackend('cpu');
      expect(tf.getBackend()).toBe(backend);
      const a = tf.randomNormal([7, 5], 0, 1, 'float32', 3);
      const b = tf.tidy(() => a.matMul(a, true, false).add(1)); // a computed tensor, not an upload
      const into = new Float32Array(3 + a.size + b.size).fill(-9);
      readTensorInto(a, into, 3);
      readTensorInto(b, into, 3 + a.size);
      expect([...into.subarray(0, 3)]).toEqual([-9, -9, -9]);
      expect(into.subarray(3, 3 + a.size)).toEqual(a.dataSync());
      expect(into.subarray(3 + a.size)).toEqual(b.dataSync());
      tf.dispose([a, b]);
    }
  });
});
