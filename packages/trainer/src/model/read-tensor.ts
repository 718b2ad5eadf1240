/**
 * Copying a tensor's values into a slice of a flat buffer with a single copy.
 *
 * Why: `dataSync()` on the wasm backend allocates a fresh array holding a copy of the values,
 * which the trainer then copies again into its flat gradient buffer: two copies and an 800 kB
 * allocation per step for a 200k-parameter MLP, a visible share of the trainer's overhead over a
 * hand-written loop (docs/benchmarks.md). BackendWasm exposes where each tensor lives
 * (`dataIdMap` → `memoryOffset`) and the heap (`wasm.HEAPU8`), so the values can be copied
 * straight out of the heap. Any other backend, or anything unexpected, takes `dataSync()`.
 */
import * as tf from '@tensorflow/tfjs';

interface WasmHeapAccess {
  readonly dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  readonly wasm: { readonly HEAPU8: Uint8Array };
}

/** Copy the float32 values of `tensor` into `into`, starting at `offset`. */
export function readTensorInto(tensor: tf.Tensor, into: Float32Array, offset: number): void {
  if (tensor.dtype === 'float32' && tf.getBackend() === 'wasm') {
    const backend = tf.backend() as unknown as Partial<WasmHeapAccess>;
    const data = backend.dataIdMap?.get(tensor.dataId);
    const heap = backend.wasm?.HEAPU8;
    if (data && heap && data.memoryOffset % 4 === 0) {
      into.set(new Float32Array(heap.buffer, heap.byteOffset + data.memoryOffset, tensor.size), offset);
      return;
    }
  }
  into.set(tensor.dataSync() as Float32Array, offset);
}
