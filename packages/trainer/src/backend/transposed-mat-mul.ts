/**
 * Kernel fix: matrix products with a transposed operand on the wasm backend.
 *
 * Why: tfjs-backend-wasm 4.22's `BatchMatMul` with `transposeA` or `transposeB` is 7–15× slower
 * than the same product untransposed at dense-layer sizes (measured 28 ms vs 2.5 ms for the
 * (128×784)ᵀ · 128×256 weight gradient of a 784→256 layer; 5.5 s vs 79 ms at 1024³). Every dense
 * layer's weight gradient xᵀ·dy (transposeA) and input gradient dy·Wᵀ (transposeB) takes that
 * path, so a stock MLP step spends most of its time there. Transposing the flagged operands first
 * with the wasm `Transpose` kernel and running the plain product gives the same numbers (up to
 * summation order) and makes an MLP training step about 4× faster.
 *
 * The fix wraps the registered kernel (it keeps the original's `setupFunc`), so applying it is
 * a kernel-registry change that a later backend initialisation also sees; it is marked so that
 * applying it twice is a no-op.
 */
import { getKernel, registerKernel, unregisterKernel, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';

/** The kernels rewritten: plain and fused (bias/activation) matrix products share `transposeA`/`transposeB`. */
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
 * A kernel equivalent to `original` (no paper: a performance fix for tfjs-backend-wasm 4.22) that
 * transposes each operand flagged by `transposeA` or
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
