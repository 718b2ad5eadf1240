/**
 * The tfjs compute backend: choose the best available one (tfjs-node-gpu, tfjs-node, wasm, cpu),
 * and the kernel fixes that make wasm training fast (transposed-operand matrix products, the
 * convolution input gradient) and possible for CNNs (the missing `Conv2DBackpropFilter`).
 */
export { selectBackend, type BackendAttempt, type BackendName, type BackendSelection, type SelectBackendOptions } from './select-backend.js';
export { KERNEL_FIXES, applyKernelFixes, type KernelFix } from './kernel-fixes.js';
export { TRANSPOSED_MAT_MUL_KERNELS, applyTransposedMatMulFix, isUntransposedMatMul, untransposedMatMul } from './transposed-mat-mul.js';
export { applyConv2dBackpropFilterFix, conv2dBackpropFilterKernel, isConv2dBackpropFilterFix } from './conv2d-backprop-filter.js';
export { applyConv2dBackpropInputFix, conv2dBackpropInputKernel, isConv2dBackpropInputFix } from './conv2d-backprop-input.js';
export { startWasmBackend, wasmBinaryDirectory, type WasmInfo } from './wasm-backend.js';
export { NATIVE_PACKAGES, importModule, startNativeBackend, type ModuleImporter } from './native-backend.js';
