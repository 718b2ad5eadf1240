import * as tf from '@tensorflow/tfjs';
import { OptionError } from '@syncopate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend.js';

/** An importer for which no package is installed, as on a machine without internet at install time. */
const nothingInstalled = async (specifier: string): Promise<never> => {
  throw Object.assign(new Error(`Cannot find package '${specifier}'`), { code: 'ERR_MODULE_NOT_FOUND' });
};

describe('selectBackend', () => {
  afterEach(() => {
    if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
  });

  it('falls back from the native packages to wasm (SIMD, one thread in Node) and fixes its kernels', async () => {
    tf.env().set('IS_TEST', true);
    const selection = await selectBackend({ importModule: nothingInstalled });
    expect(selection.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selection.attempts.map((a) => [a.source, a.ok])).toEqual([
      ['@tensorflow/tfjs-node-gpu', false],
      ['@tensorflow/tfjs-node', false],
      ['@tensorflow/tfjs-backend-wasm', true],
    ]);
    expect(selection.reason).toBe(
      'wasm (@tensorflow/tfjs-backend-wasm: SIMD, 1 thread); skipped: @tensorflow/tfjs-node-gpu is not installed; @tensorflow/tfjs-node is not installed',
    );
    expect(selection.kernelFixes).toEqual(['BatchMatMul', '_FusedMatMul', 'Conv2DBackpropFilter', 'Conv2DBackpropInput']);
    // The real dynamic import fails the same way here: tfjs-node cannot be installed offline.
    const real = await selectBackend();
    expect(real.backend).toBe('wasm');
    expect(real.attempts[1]!.detail).toMatch(/@tensorflow\/tfjs-node (is not installed|failed to load)/);
    expect(real.kernelFixes).toEqual(selection.kernelFixes); // idempotent
  });

  it('reports a native package that fails to load, and one that registers no backend', async () => {
    const broken = async (specifier: string) => {
      if (specifier.endsWith('-gpu')) throw new Error('libcudart.so.11.0: cannot open shared object file');
      return {};
    };
    const selection = await selectBackend({ importModule: broken });
    expect(selection.backend).toBe('wasm');
    expect(selection.attempts[0]!.detail).toBe('@tensorflow/tfjs-node-gpu failed to load: libcudart.so.11.0: cannot open shared object file');
    expect(selection.attempts[1]!.detail).toMatch(/tfjs-node loaded but registered no 'tensorflow' backend/);
  });

  it('takes the native backend when its package registers one', async () => {
    // Stand-in for tfjs-node: importing it registers a backend named 'tensorflow'.
    const fakeNative = async (specifier: string) => {
      if (specifier !== '@tensorflow/tfjs-node') return nothingInstalled(specifier);
      await tf.setBackend('cpu');
      const CpuBackend = tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend;
      tf.registerBackend('tensorflow', () => new CpuBackend());
      return {};
    };
    const selection = await selectBackend({ importModule: fakeNative });
    expect(selection).toMatchObject({ backend: 'tensorflow', source: '@tensorflow/tfjs-node', kernelFixes: [] });
    expect(tf.getBackend()).toBe('tensorflow');
    expect(selection.reason).toBe('tensorflow (@tensorflow/tfjs-node: native TensorFlow); skipped: @tensorflow/tfjs-node-gpu is not installed');
  });

  it('honours prefer: cpu for tiny tests, wasm without trying native packages', async () => {
    const cpu = await selectBackend({ prefer: 'cpu' });
    expect(cpu).toMatchObject({ backend: 'cpu', kernelFixes: ['Conv2DBackpropFilter'] });
    expect(tf.getBackend()).toBe('cpu');
    let imported = 0;
    const wasm = await selectBackend({ prefer: 'wasm', importModule: async () => ((imported += 1), {}) });
    expect(wasm.backend).toBe('wasm');
    expect(imported).toBe(0);
    const bare = await selectBackend({ prefer: 'wasm', kernelFixes: false });
    expect(bare.kernelFixes).toEqual([]);
  });

  it('throws instead of falling back when fallback is false, and validates options', async () => {
    await expect(selectBackend({ prefer: 'tensorflow', fallback: false, importModule: nothingInstalled })).rejects.toThrow(
      "selectBackend: option 'prefer' 'tensorflow' is not available (@tensorflow/tfjs-node-gpu is not installed; @tensorflow/tfjs-node is not installed) and fallback is false",
    );
    await expect(selectBackend({ prefer: 'gpu' as never })).rejects.toThrow(/must be one of 'auto', 'tensorflow', 'wasm', 'cpu', got "gpu"/);
    await expect(selectBackend({ prefr: 'cpu' } as never)).rejects.toThrow(/did you mean 'prefer'/);
    await expect(selectBackend({ wasmPaths: '' })).rejects.toThrow(OptionError);
    await expect(selectBackend({ kernelFixes: 'yes' as never })).rejects.toThrow(/option 'kernelFixes' must be true or false/);
  });
});
