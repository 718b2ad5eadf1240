/**
 * Per-key float buffers that survive a checkpoint: the memory of error feedback and of momentum
 * correction. Snapshots copy the buffers, so a restored run continues bit for bit.
 */
import { type Snapshot, type StateValue } from '@syncopate/core';
/** Float buffers by key (`gradient/bucket-0`, `delta/bucket-3`…), created zeroed on first use. */
export declare class KeyedBuffers {
    private readonly owner;
    private readonly buffers;
    constructor(owner: string);
    /** The buffer of `key` with `length` elements; made zeroed if absent, refused if its length differs. */
    get(key: string, length: number): Float32Array;
    /** The buffer of `key` if one exists (its length checked against `length`). */
    find(key: string, length: number): Float32Array | undefined;
    delete(key?: string): void;
    private check;
    /** Copies of every buffer, by key. */
    toState(): {
        [key: string]: StateValue;
    };
    /** Replace every buffer with copies of those in `state`. */
    fromState(state: StateValue | undefined, field: string): void;
}
/** Check a snapshot's format tag before restoring it. */
export declare function expectFormat(snapshot: Snapshot, format: string, owner: string): void;
//# sourceMappingURL=keyed-buffers.d.ts.map