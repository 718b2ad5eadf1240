/**
 * Copying between tfjs tensors and slices of the trainer's flat buffers.
 *
 * Reads: on the wasm backend `dataSync()` allocates a fresh array holding a copy of the values,
 * which the trainer then copies again into its flat gradient buffer — two copies and an 800 kB
 * allocation per step for a 200k-parameter MLP. BackendWasm's public `dataIdMap` says where each
 * tensor lives in the heap (`memoryOffset`) and `wasm.HEAPU8` is the heap, so the values are
 * copied straight out of it. Other backends use `dataSync()`.
 *
 * Writes always go through `assign` of a new tensor, never into a variable's storage in place:
 * the wasm backend's XNNPACK matrix-product operators keep packed copies of their weights, keyed
 * by the weight tensor, which an in-place write would leave stale (we tried: the model then
 * silently stops learning; `tensor-copy.test.ts` guards against it).
 */
import * as tf from '@tensorflow/tfjs';

interface WasmHeapAccess {
  readonly dataIdMap: { get(dataId: object): { readonly memoryOffset: number } | undefined };
  readonly wasm: { readonly HEAPU8: Uint8Array };
}

/** Copy the float32 values of `tensor` into `into`, starting at `offset`. */
export function readTensorInto(tensor: tf.Tensor, into: Float32Array, offset: number): void {
  if (tensor.dtype === 'float32' && tf.getBackend() === 'wasm') {
    const backend = tf.backend() as unknown as Partial<WasmHeapAccess>;
    const entry = backend.dataIdMap?.get(tensor.dataId);
    const heap = backend.wasm?.HEAPU8;
    if (entry && heap && entry.memoryOffset % 4 === 0) {
      into.set(new Float32Array(heap.buffer, heap.byteOffset + entry.memoryOffset, tensor.size), offset);
      return;
    }
  }
  into.set(tensor.dataSync() as Float32Array, offset);
}

/**
 * Set `variable` to `values` (its size, row-major). On the cpu backend `tf.tensor(view)` would
 * keep the caller's memory, so the values are copied first there.
 */
export function writeVariable(variable: tf.Variable, values: Float32Array): void {
  const owned = tf.getBackend() === 'cpu' ? values.slice() : values;
  tf.tidy(() => variable.assign(tf.tensor(owned, variable.shape, 'float32')));
}
