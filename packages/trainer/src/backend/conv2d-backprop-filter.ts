/**
 * Kernel fix: the filter gradient of a 2-D convolution (`Conv2DBackpropFilter`), which
 * tfjs-backend-wasm 4.22 does not implement at all (and the cpu backend implements very slowly).
 *
 * Why a kernel and not only a registered gradient: `tf.layers.conv2d` runs `tf.fused.conv2d`,
 * whose own custom gradient calls `conv2DBackpropFilter` directly whenever the activation is
 * linear (the default), bypassing any gradient registered for `Conv2D`. Registering the missing
 * kernel makes every path — plain, fused, layers — trainable on wasm.
 *
 * The computation: with x padded as the forward pass padded it, stride (sh, sw), and dy the
 * gradient of the output,
 *
 *   ∂L/∂W[i, j, c, o] = Σ_{b, p, q} x_pad[b, i + p·sh, j + q·sw, c] · dy[b, p, q, o].
 *
 * Read with c as the batch axis and b as the channel axis, that is a forward convolution of
 * x′[c, h, w, b] = x_pad[b, h, w, c] with the "filter" dy′[p, q, b, o] = dy[b, p, q, o], dilated by
 * the stride: out[c, i, j, o]. So the kernel transposes x and dy, runs the backend's own (fast)
 * `Conv2D` with the forward padding and dilation = stride, keeps the first KH × KW outputs and
 * transposes them to [KH, KW, C, O]. On wasm this is 3–6× faster than KH·KW matrix products of
 * shifted input windows (see docs/benchmarks.md).
 */
import {
  backend_util,
  getKernel,
  registerKernel,
  unregisterKernel,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { KernelCalls } from './kernel-calls.js';

const MARK = Symbol.for('syncopate/conv2d-backprop-filter');

/**
 * The `Conv2DBackpropFilter` kernel function for `backendName`, built from that backend's own
 * kernels: the filter gradient as a forward convolution of the input with the output gradient
 * (batch and channel axes swapped, dilation = stride), as in the convolution arithmetic of
 * Dumoulin & Visin ("A guide to convolution arithmetic for deep learning", 2016).
 */
export function conv2dBackpropFilterKernel(backendName: string): KernelFunc {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    const x = inputs['x'] as TensorInfo;
    const dy = inputs['dy'] as TensorInfo;
    const nchw = dataFormat === 'NCHW';
    const [b, h, w, c] = nchw ? [x.shape[0]!, x.shape[2]!, x.shape[3]!, x.shape[1]!] : (x.shape as [number, number, number, number]);
    const info = backend_util.computeConv2DInfo([b, h, w, c], filterShape, strides, 1, pad, dimRoundingMode);
    const { top, bottom, left, right } = info.padInfo;
    const calls = new KernelCalls(backend as KernelBackend, backendName, 'Conv2DBackpropFilter');
    let result: TensorInfo | undefined;
    try {
      // x → [C, H, W, B]; dy → [OH, OW, B, O].
      const xByChannel = calls.run('Transpose', { x }, { perm: nchw ? [1, 2, 3, 0] : [3, 1, 2, 0] });
      const dyAsFilter = calls.run('Transpose', { x: dy }, { perm: nchw ? [2, 3, 0, 1] : [1, 2, 0, 3] });
      const correlation = calls.run('Conv2D', { x: xByChannel, filter: dyAsFilter }, {
        strides: [1, 1],
        pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
        dataFormat: 'NHWC',
        dilations: [info.strideHeight, info.strideWidth],
      });
      // With a stride, rows and columns the forward pass never reached give extra outputs.
      const [, rows, columns] = correlation.shape;
      const taps =
        rows === info.filterHeight && columns === info.filterWidth
          ? correlation
          : calls.run('Slice', { x: correlation }, { begin: [0, 0, 0, 0], size: [c, info.filterHeight, info.filterWidth, info.outChannels] });
      result = calls.run('Transpose', { x: taps }, { perm: [1, 2, 0, 3] });
      return result;
    } finally {
      calls.releaseAllBut(result);
    }
  };
  Object.defineProperty(kernelFunc, MARK, { value: true });
  return kernelFunc;
}

/** Whether `config` is the kernel made by {@link conv2dBackpropFilterKernel}. */
export function isConv2dBackpropFilterFix(config: KernelConfig | undefined): boolean {
  return config !== undefined && MARK in config.kernelFunc;
}

/**
 * Register the {@link conv2dBackpropFilterKernel} for `backendName` (default `wasm`), replacing
 * the backend's own kernel if it has one. Idempotent; returns whether this call changed the
 * registry.
 *
 * @example
 * ```ts
 * applyConv2dBackpropFilterFix('wasm'); // true: CNNs can now be trained on wasm
 * ```
 */
export function applyConv2dBackpropFilterFix(backendName = 'wasm'): boolean {
  const current = getKernel('Conv2DBackpropFilter', backendName);
  if (isConv2dBackpropFilterFix(current)) return false;
  if (current) unregisterKernel('Conv2DBackpropFilter', backendName);
  registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc: conv2dBackpropFilterKernel(backendName) });
  return true;
}
