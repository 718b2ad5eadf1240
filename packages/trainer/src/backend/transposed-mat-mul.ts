/**
 * Kernel fix: matrix products with a transposed left operand on the wasm backend.
 *
 * Why: tfjs-backend-wasm 4.22's `BatchMatMul` with `transposeA` walks the left matrix down its
 * columns and is about 7× slower than the same product untransposed (measured 30.3 ms vs 4.0 ms
 * for the 784×128 · 128×256 weight gradient of a dense layer). Every dense layer's weight
 * gradient xᵀ·dy takes that path, so an MLP step spends most of its time there. Transposing `a`
 * first with the wasm `Transpose` kernel and running the ordinary product gives the same numbers
 * about 4× faster per training step.
 *
 * The fix wraps the registered kernel (it keeps the original's `setupFunc`), so applying it is
 * a kernel-registry change that a later backend initialisation also sees; it is marked so that
 * applying it twice is a no-op.
 */
import { getKernel, registerKernel, unregisterKernel, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';

/** The kernels rewritten: plain and fused (bias/activation) matrix products share `transposeA`. */
export const TRANSPOSED_MAT_MUL_KERNELS = Object.freeze(['BatchMatMul', '_FusedMatMul']);

const MARK = Symbol.for('syncopate/untransposed-mat-mul');

/** Whether `config` is already a kernel made by {@link untransposedMatMul}. */
export function isUntransposedMatMul(config: KernelConfig | undefined): boolean {
  return config !== undefined && MARK in config.kernelFunc;
}

/** The permutation that swaps the last two axes of a rank-`rank` tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
  return perm;
}

/**
 * A kernel equivalent to `original` that transposes each operand flagged by `transposeA` or
 * `transposeB` with the backend's own `Transpose` kernel and then runs `original` without
 * transposes. Products without transposes go straight to `original`.
 */
export function untransposedMatMul(original: KernelConfig): KernelConfig {
  const originalFunc = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, attrs, backend } = args;
    const transpose = getKernel('Transpose', original.backendName);
    if (!(attrs?.['transposeA'] || attrs?.['transposeB']) || !transpose) return originalFunc(args);
    const temporaries: TensorInfo[] = [];
    const untransposed = (name: 'a' | 'b', flag: 'transposeA' | 'transposeB'): TensorInfo => {
      const operand = inputs[name] as TensorInfo;
      if (!attrs[flag]) return operand;
      const result = transpose.kernelFunc({ inputs: { x: operand }, backend, attrs: { perm: swapLastTwo(operand.shape.length) } }) as TensorInfo;
      temporaries.push(result);
      return result;
    };
    try {
      const a = untransposed('a', 'transposeA');
      const b = untransposed('b', 'transposeB');
      return originalFunc({ ...args, inputs: { ...inputs, a, b }, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of temporaries) (backend as KernelBackend).disposeData(t.dataId);
    }
  };
  Object.defineProperty(kernelFunc, MARK, { value: true });
  return { ...original, kernelFunc };
}

/**
 * Replace `BatchMatMul` and `_FusedMatMul` of `backendName` (default `wasm`) by their
 * {@link untransposedMatMul} versions. Idempotent; returns the kernels changed by this call
 * (empty when they were already fixed or the backend has no such kernel).
 *
 * @example
 * ```ts
 * applyTransposedMatMulFix('wasm'); // ['BatchMatMul', '_FusedMatMul']
 * applyTransposedMatMulFix('wasm'); // []
 * ```
 */
export function applyTransposedMatMulFix(backendName = 'wasm'): string[] {
  const changed: string[] = [];
  for (const kernelName of TRANSPOSED_MAT_MUL_KERNELS) {
    const current = getKernel(kernelName, backendName);
    if (!current || isUntransposedMatMul(current)) continue;
    unregisterKernel(kernelName, backendName);
    registerKernel(untransposedMatMul(current));
    changed.push(kernelName);
  }
  return changed;
}
