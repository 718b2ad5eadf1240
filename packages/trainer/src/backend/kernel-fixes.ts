import { getKernel } from '@tensorflow/tfjs';
import { applyConv2dBackpropFilterFix, isConv2dBackpropFilterFix } from './conv2d-backprop-filter.js';
import { applyConv2dBackpropInputFix, isConv2dBackpropInputFix } from './conv2d-backprop-input.js';
import { TRANSPOSED_MAT_MUL_KERNELS, applyTransposedMatMulFix, isUntransposedMatMul } from './transposed-mat-mul.js';

/** The kernel fixes Syncopate ships. */
export type KernelFix = 'transposedMatMul' | 'conv2dBackpropFilter' | 'conv2dBackpropInput';

/**
 * The kernel fixes each backend gets (measured in docs/benchmarks.md, "tfjs backends and kernel
 * fixes"):
 * - `wasm`: matrix products with transposed operands (MLP steps ~4× faster), the missing
 *   `Conv2DBackpropFilter` (CNNs train at all) and a `Conv2DBackpropInput` that runs as a
 *   forward convolution;
 * - `cpu`: the `Conv2DBackpropFilter` replacement (the stock kernel takes ~50 s per step of a
 *   small CNN);
 * - native backends (`tensorflow`) and anything else: none.
 */
export const KERNEL_FIXES: Readonly<Record<string, readonly KernelFix[]>> = Object.freeze({
  wasm: Object.freeze(['transposedMatMul', 'conv2dBackpropFilter', 'conv2dBackpropInput'] as KernelFix[]),
  cpu: Object.freeze(['conv2dBackpropFilter'] as KernelFix[]),
});

/**
 * Apply the fixes listed in {@link KERNEL_FIXES} for `backendName` (or the ones given).
 * Idempotent: a second call changes nothing. Returns the kernels that are now fixed, whether by
 * this call or an earlier one.
 *
 * @example
 * ```ts
 * applyKernelFixes('wasm'); // ['BatchMatMul', '_FusedMatMul', 'Conv2DBackpropFilter', 'Conv2DBackpropInput']
 * ```
 */
export function applyKernelFixes(backendName: string, fixes: readonly KernelFix[] = KERNEL_FIXES[backendName] ?? []): string[] {
  const fixed: string[] = [];
  if (fixes.includes('transposedMatMul')) {
    applyTransposedMatMulFix(backendName);
    fixed.push(...TRANSPOSED_MAT_MUL_KERNELS.filter((k) => isUntransposedMatMul(getKernel(k, backendName))));
  }
  if (fixes.includes('conv2dBackpropFilter')) {
    applyConv2dBackpropFilterFix(backendName);
    if (isConv2dBackpropFilterFix(getKernel('Conv2DBackpropFilter', backendName))) fixed.push('Conv2DBackpropFilter');
  }
  if (fixes.includes('conv2dBackpropInput')) {
    applyConv2dBackpropInputFix(backendName);
    if (isConv2dBackpropInputFix(getKernel('Conv2DBackpropInput', backendName))) fixed.push('Conv2DBackpropInput');
  }
  return fixed;
}
