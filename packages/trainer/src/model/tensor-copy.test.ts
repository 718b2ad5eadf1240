import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { startWasmBackend } from '../backend/index.js';
import { readTensorInto, writeVariable } from './tensor-copy.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

async function use(backend: string): Promise<void> {
  if (backend === 'wasm') await startWasmBackend();
  else await tf.setBackend('cpu');
  expect(tf.getBackend()).toBe(backend);
}

describe.each(['wasm', 'cpu'])('tensor copies on %s', (backend) => {
  it('readTensorInto copies exactly what dataSync returns, at the offset', async () => {
    await use(backend);
    const a = tf.randomNormal([7, 5], 0, 1, 'float32', 3);
    const b = tf.tidy(() => a.matMul(a, true, false).add(1)); // a computed tensor, not an upload
    const into = new Float32Array(3 + a.size + b.size).fill(-9);
    readTensorInto(a, into, 3);
    readTensorInto(b, into, 3 + a.size);
    expect([...into.subarray(0, 3)]).toEqual([-9, -9, -9]);
    expect(into.subarray(3, 3 + a.size)).toEqual(a.dataSync());
    expect(into.subarray(3 + a.size)).toEqual(b.dataSync());
    tf.dispose([a, b]);
  });

  it('writeVariable sets the variable, keeps no reference to the caller’s buffer and leaves other tensors alone', async () => {
    await use(backend);
    const start = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const variable = tf.variable(start); // shares storage with `start` (refCount 2): must not write in place
    const values = Float32Array.of(5, 6, 7, 8);
    writeVariable(variable, values);
    expect([...start.dataSync()]).toEqual([1, 2, 3, 4]);
    expect([...variable.dataSync()]).toEqual([5, 6, 7, 8]);
    start.dispose();
    const storage = variable.dataId;
    writeVariable(variable, Float32Array.of(-1, -2, -3, -4)); // now its own storage: in place on wasm
    if (backend === 'wasm') expect(variable.dataId).toBe(storage);
    values.fill(0);
    expect([...variable.dataSync()]).toEqual([-1, -2, -3, -4]);
    const doubled = tf.tidy(() => variable.mul(2));
    expect([...doubled.dataSync()]).toEqual([-2, -4, -6, -8]);
    tf.dispose([variable, doubled]);
  });
});
