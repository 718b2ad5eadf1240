/**
 * Test helpers shared by the backend tests: run the same computation on two tfjs backends and
 * compare, and seeded inputs (tfjs's own random ops depend on the backend's generator).
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '@syncopate/core';
import { startWasmBackend } from '../wasm-backend.js';

/**
 * Make sure both backends exist; leaves `wasm` active. With `checkKernelLeaks` (default) sets
 * tfjs's `IS_TEST` flag, which makes the engine check every kernel for leaked tensor data (and
 * mutes its Node banner); tfjs's own custom-gradient ops (softmax cross-entropy, fused conv)
 * trip that check, so whole-model tests turn it off.
 */
export async function bothBackends(checkKernelLeaks = true): Promise<void> {
  tf.env().set('IS_TEST', checkKernelLeaks);
  await tf.setBackend('cpu');
  await startWasmBackend();
}

/** Standard normal values from core's seeded generator, as a plain array (backend-neutral). */
export function normals(count: number, stream: string): Float32Array {
  const rng = createRng({ seed: 2024, rank: 0, step: 0, stream });
  return Float32Array.from({ length: count }, () => rng.nextNormal());
}

/** Run `compute` on `backend`, returning every output tensor's values; disposes what it made. */
export async function valuesOn(backend: 'cpu' | 'wasm', compute: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(compute);
  const list = Array.isArray(out) ? out : [out];
  const values = await Promise.all(list.map(async (t) => new Float32Array(await t.data())));
  tf.dispose(list);
  return values;
}

/** Largest absolute element-wise difference; throws when lengths differ. */
export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return Number.isNaN(worst) ? Infinity : worst;
}

/** Largest absolute value. */
export function maxAbs(a: Float32Array): number {
  return a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}
