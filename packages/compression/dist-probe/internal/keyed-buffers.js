/**
 * Per-key float buffers that survive a checkpoint: the memory of error feedback and of momentum
 * correction. Snapshots copy the buffers, so a restored run continues bit for bit.
 */
import { LayoutMismatchError, StateError } from '@syncopate/core';
/** Float buffers by key (`gradient/bucket-0`, `delta/bucket-3`…), created zeroed on first use. */
export class KeyedBuffers {
    owner;
    buffers = new Map();
    constructor(owner) {
        this.owner = owner;
    }
    /** The buffer of `key` with `length` elements; made zeroed if absent, refused if its length differs. */
    get(key, length) {
        let buffer = this.buffers.get(key);
        if (!buffer) {
            buffer = new Float32Array(length);
            this.buffers.set(key, buffer);
        }
        else {
            this.check(key, buffer, length);
        }
        return buffer;
    }
    /** The buffer of `key` if one exists (its length checked against `length`). */
    find(key, length) {
        const buffer = this.buffers.get(key);
        if (buffer)
            this.check(key, buffer, length);
        return buffer;
    }
    delete(key) {
        if (key === undefined)
            this.buffers.clear();
        else
            this.buffers.delete(key);
    }
    check(key, buffer, length) {
        if (buffer.length !== length) {
            throw new LayoutMismatchError(`${this.owner}: '${key}' holds ${buffer.length} elements but a buffer of ${length} was passed`);
        }
    }
    /** Copies of every buffer, by key. */
    toState() {
        const out = {};
        for (const [key, buffer] of this.buffers)
            out[key] = buffer.slice();
        return out;
    }
    /** Replace every buffer with copies of those in `state`. */
    fromState(state, field) {
        if (state === null || typeof state !== 'object' || Array.isArray(state) || ArrayBuffer.isView(state)) {
            throw new StateError(`${this.owner}: snapshot field '${field}' must map keys to Float32Arrays`);
        }
        const entries = Object.entries(state);
        for (const [key, value] of entries) {
            if (!(value instanceof Float32Array))
                throw new StateError(`${this.owner}: snapshot entry '${field}.${key}' is not a Float32Array`);
        }
        this.buffers.clear();
        for (const [key, value] of entries)
            this.buffers.set(key, value.slice());
    }
}
/** Check a snapshot's format tag before restoring it. */
export function expectFormat(snapshot, format, owner) {
    if (snapshot === null || typeof snapshot !== 'object' || snapshot.format !== format) {
        const got = snapshot && typeof snapshot === 'object' ? String(snapshot.format) : String(snapshot);
        throw new StateError(`${owner}: cannot restore a snapshot of format '${got}' (expected '${format}')`);
    }
}
//# sourceMappingURL=keyed-buffers.js.map