/**
 * Kernel fix: the input gradient of a 2-D convolution (`Conv2DBackpropInput`) on the wasm
 * backend, which tfjs-backend-wasm 4.22 computes about 10× slower than a forward convolution of
 * the same size (240 ms vs 21 ms for the second layer of the benchmark CNN: half of a training
 * step).
 *
 * For stride 1 the input gradient is itself a convolution ("full" correlation with the flipped
 * filter): with W ∈ ℝ^{KH×KW×C×O} and the forward padding (top, left),
 *
 *   ∂L/∂x[b, h, w, c] = Σ_{i, j, o} dy[b, h + top − i, w + left − j, o] · W[i, j, c, o]
 *                     = conv2d(dy, W′)[b, h, w, c],  W′[i, j, o, c] = W[KH−1−i, KW−1−j, c, o],
 *
 * where the convolution pads dy by KH−1−top rows above (KW−1−left columns on the left) and by
 * whatever makes the output H × W below (on the right). So the fix flips and transposes the
 * (small) filter and runs the backend's fast forward `Conv2D` with explicit padding. Strides
 * other than 1, NCHW and paddings larger than the filter go to the original kernel.
 */
import {
  backend_util,
  getKernel,
  registerKernel,
  unregisterKernel,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { KernelCalls } from './kernel-calls.js';

const MARK = Symbol.for('syncopate/conv2d-backprop-input');

/**
 * The `Conv2DBackpropInput` kernel function for `backendName` that runs stride-1 NHWC cases as a
 * forward convolution and everything else through `fallback` (the backend's own kernel). The
 * gradient of a convolution with respect to its input is the "full" correlation with the flipped
 * filter (Dumoulin & Visin, "A guide to convolution arithmetic for deep learning", 2016, §4).
 */
export function conv2dBackpropInputKernel(backendName: string, fallback: KernelFunc): KernelFunc {
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    const dy = inputs['dy'] as TensorInfo;
    const filter = inputs['filter'] as TensorInfo;
    const filterShape = filter.shape as [number, number, number, number];
    if (dataFormat === 'NCHW') return fallback(args);
    const info = backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad, dimRoundingMode);
    const { filterHeight, filterWidth, inHeight, inWidth, outHeight, outWidth } = info;
    const top = filterHeight - 1 - info.padInfo.top;
    const left = filterWidth - 1 - info.padInfo.left;
    const bottom = inHeight + filterHeight - 1 - outHeight - top;
    const right = inWidth + filterWidth - 1 - outWidth - left;
    if (info.strideHeight !== 1 || info.strideWidth !== 1 || Math.min(top, left, bottom, right) < 0) return fallback(args);

    const calls = new KernelCalls(backend as KernelBackend, backendName, 'Conv2DBackpropInput');
    let result: TensorInfo | undefined;
    try {
      const flipped = calls.run('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = calls.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
      result = calls.run('Conv2D', { x: dy, filter: swapped }, {
        strides: [1, 1],
        pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      });
      return result;
    } finally {
      calls.releaseAllBut(result);
    }
  };
  Object.defineProperty(kernelFunc, MARK, { value: true });
  return kernelFunc;
}

/** Whether `config` is the kernel made by {@link conv2dBackpropInputKernel}. */
export function isConv2dBackpropInputFix(config: KernelConfig | undefined): boolean {
  return config !== undefined && MARK in config.kernelFunc;
}

/**
 * Replace `Conv2DBackpropInput` of `backendName` (default `wasm`) by
 * {@link conv2dBackpropInputKernel}, keeping the original for the cases it does not cover.
 * Idempotent; returns whether this call changed the registry (false also when the backend has
 * no such kernel to fall back on).
 *
 * @example
 * ```ts
 * applyConv2dBackpropInputFix('wasm'); // true
 * ```
 */
export function applyConv2dBackpropInputFix(backendName = 'wasm'): boolean {
  const current = getKernel('Conv2DBackpropInput', backendName);
  if (!current || isConv2dBackpropInputFix(current)) return false;
  unregisterKernel('Conv2DBackpropInput', backendName);
  registerKernel({ ...current, kernelFunc: conv2dBackpropInputKernel(backendName, current.kernelFunc) });
  return true;
}
