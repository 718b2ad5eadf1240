/** Bytes before the body. */
export declare const HEADER_BYTES = 16;
/** The payload format version this build writes and reads. */
export declare const PAYLOAD_VERSION = 1;
/** What a payload header says. */
export interface PayloadHeader {
    readonly version: number;
    readonly compressorId: number;
    /** Name of the compressor that wrote it. */
    readonly compressor: string;
    readonly count: number;
    readonly bodyLength: number;
    readonly checksum: number;
}
/** A new payload with its header written (checksum still zero) and a zeroed body of `bodyLength` bytes. */
export declare function createPayload(compressorId: number, count: number, bodyLength: number): Uint8Array;
/** The body of a payload made by {@link createPayload} (a view). */
export declare function bodyOf(payload: Uint8Array): Uint8Array;
/** Write the checksum once the body is complete; returns `payload`. */
export declare function sealPayload(payload: Uint8Array): Uint8Array;
/**
 * Read a payload's header without checking its checksum or its body (for tools and messages).
 * Throws a `PayloadError` if it is too short or not a payload at all.
 */
export declare function readPayloadHeader(payload: Uint8Array): PayloadHeader;
/**
 * Check a payload end to end (magic, version, length, checksum, compressor, element count) and
 * return its body, 4-byte aligned. `owner` names the decoding compressor in messages.
 */
export declare function openPayload(payload: Uint8Array, compressorId: number, count: number, owner: string): Uint8Array;
/** Refuse a body whose length is not what the header's element count implies. */
export declare function expectBodyLength(body: Uint8Array, expected: number, owner: string, what: string): void;
/** `length` float32 values at `offset` bytes into an aligned body. */
export declare function floatsAt(body: Uint8Array, offset: number, length: number): Float32Array;
/** `length` uint32 values at `offset` bytes into an aligned body. */
export declare function uint32sAt(body: Uint8Array, offset: number, length: number): Uint32Array;
/** Round a byte count up to a multiple of 4, so the next section stays aligned. */
export declare function align4(bytes: number): number;
//# sourceMappingURL=payload.d.ts.map