/** Payload size for `k` kept elements. */
export declare function sparseWireBytes(k: number): number;
/** Encode `values[j]` at `indices[j]` (ascending) for a dense buffer of `count` elements. */
export declare function encodeSparse(compressorId: number, count: number, indices: Uint32Array, values: Float32Array): Uint8Array;
/** The elements of `input` at `indices`, times `scale`. */
export declare function valuesAt(input: Float32Array, indices: Uint32Array, scale?: number): Float32Array;
/** The checked (indices, values) of a sparse payload for a dense buffer of `count` elements. */
export declare function openSparse(payload: Uint8Array, compressorId: number, count: number, owner: string): {
    indices: Uint32Array;
    values: Float32Array;
};
/** Decode a sparse payload into `out` (zeros elsewhere). */
export declare function decodeSparse(payload: Uint8Array, compressorId: number, out: Float32Array, owner: string): void;
/** Sum sparse payloads into `out` by scatter-add: no dense decode per payload. */
export declare function combineSparse(payloads: readonly Uint8Array[], compressorId: number, out: Float32Array, owner: string): void;
//# sourceMappingURL=sparse-payload.d.ts.map