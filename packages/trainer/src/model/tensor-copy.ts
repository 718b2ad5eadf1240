/**
 * Copying between tfjs tensors and slices of the trainer's flat buffers, with as few copies as
 * the backend allows.
 *
 * Why: on the wasm backend `dataSync()` allocates a fresh array holding a copy of the values,
 * which the trainer then copies again into its flat gradient buffer; and writing parameters back
 * through `tf.tensor` + `assign` allocates new heap memory, copies into it and frees the old
 * block. For a 200k-parameter MLP these were a visible share of the trainer's per-step overhead
 * over a hand-written loop (docs/benchmarks.md, "Trainer overhead"). BackendWasm's public
 * `dataIdMap` says where each tensor lives in the heap (`memoryOffset`) and how many tensors
 * share that storage (`refCount`), and `wasm.HEAPU8` is the heap, so:
 *
 * - reads copy straight out of the heap;
 * - writes overwrite a variable's own storage in place, but only when no other tensor shares it
 *   (`refCount === 1`); otherwise, and on every other backend, `assign` a new tensor.
 *
 * A variable is mutable by definition; writing its storage in place is what `assign` would make
 * it hold, without the allocation.
 */
import * as tf from '@tensorflow/tfjs';

interface HeapEntry {
  readonly memoryOffset: number;
  readonly refCount: number;
}

interface WasmHeapAccess {
  readonly dataIdMap: { get(dataId: object): HeapEntry | undefined };
  readonly wasm: { readonly HEAPU8: Uint8Array };
}

/** The float32 view of `tensor`'s storage in the wasm heap, or undefined off wasm or if unsure. */
function heapView(tensor: tf.Tensor, exclusive: boolean): Float32Array | undefined {
  if (tensor.dtype !== 'float32' || tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as Partial<WasmHeapAccess>;
  const entry = backend.dataIdMap?.get(tensor.dataId);
  const heap = backend.wasm?.HEAPU8;
  if (!entry || !heap || entry.memoryOffset % 4 !== 0 || (exclusive && entry.refCount !== 1)) return undefined;
  return new Float32Array(heap.buffer, heap.byteOffset + entry.memoryOffset, tensor.size);
}

/** Copy the float32 values of `tensor` into `into`, starting at `offset`. */
export function readTensorInto(tensor: tf.Tensor, into: Float32Array, offset: number): void {
  into.set(heapView(tensor, false) ?? (tensor.dataSync() as Float32Array), offset);
}

/**
 * Set `variable` to `values` (its size, row-major). On the cpu backend `tf.tensor(view)` would
 * keep the caller's memory, so the values are copied first there.
 */
export function writeVariable(variable: tf.Variable, values: Float32Array): void {
  const storage = heapView(variable, true);
  if (storage) {
    storage.set(values);
    return;
  }
  const owned = tf.getBackend() === 'cpu' ? values.slice() : values;
  tf.tidy(() => variable.assign(tf.tensor(owned, variable.shape, 'float32')));
}
