import { ENVELOPE_WORDS, type Message } from '../endpoint.js';
import type { Mailbox } from './mailbox.js';

/** Header of a frame: context, tag, payload length, has-envelope flag, then the envelope words. */
const HEADER_WORDS = 4 + ENVELOPE_WORDS;
export const HEADER_BYTES = 4 * HEADER_WORDS;

/** One message being written into a mailbox, header first, possibly over many turns. */
export class OutgoingFrame {
  private readonly header: Uint8Array;
  private offset = 0;
  /** The caller gave up (deadline, abort) after bytes were written; the rest still goes. */
  detached = false;

  constructor(
    context: number,
    tag: number,
    private payload: Uint8Array,
    envelope: Int32Array | undefined,
    readonly resolve: () => void,
    readonly reject: (error: Error) => void,
  ) {
    const words = new Int32Array(HEADER_WORDS);
    words[0] = context;
    words[1] = tag;
    words[2] = payload.byteLength;
    words[3] = envelope ? 1 : 0;
    if (envelope) words.set(envelope, 4);
    this.header = new Uint8Array(words.buffer);
  }

  get started(): boolean {
    return this.offset > 0;
  }

  get done(): boolean {
    return this.offset === HEADER_BYTES + this.payload.byteLength;
  }

  /** The caller's buffer may change once `send` returns: keep a private copy of what is left. */
  own(): void {
    this.payload = this.payload.slice();
  }

  /** Writes what fits; returns how many bytes were written. */
  pushInto(mailbox: Mailbox): number {
    let moved = 0;
    while (!this.done) {
      const part = this.offset < HEADER_BYTES ? this.header.subarray(this.offset) : this.payload.subarray(this.offset - HEADER_BYTES);
      const n = mailbox.write(part);
      if (n === 0) break;
      this.offset += n;
      moved += n;
    }
    return moved;
  }
}

/** A frame as it arrives: its (context, tag) and the message it carries. */
export interface ArrivedFrame {
  readonly context: number;
  readonly tag: number;
  readonly message: Message;
}

/** Reassembles the frames that arrive through one mailbox. */
export class FrameAssembler {
  private readonly header = new Uint8Array(HEADER_BYTES);
  private headerFilled = 0;
  private payload: Uint8Array | undefined;
  private payloadFilled = 0;

  /** Whether a frame has started arriving but is not complete. */
  get partial(): boolean {
    return this.headerFilled > 0;
  }

  /** Reads everything available; calls `onFrame` for each completed frame; returns bytes read. */
  pull(mailbox: Mailbox, onFrame: (frame: ArrivedFrame) => void): number {
    let moved = 0;
    for (;;) {
      if (this.headerFilled < HEADER_BYTES) {
        const n = mailbox.read(this.header.subarray(this.headerFilled));
        if (n === 0) return moved;
        moved += n;
        this.headerFilled += n;
        if (this.headerFilled < HEADER_BYTES) continue;
        this.payload = new Uint8Array(new Int32Array(this.header.buffer)[2]! >>> 0);
        this.payloadFilled = 0;
      }
      const payload = this.payload!;
      if (this.payloadFilled < payload.byteLength) {
        const n = mailbox.read(payload.subarray(this.payloadFilled));
        moved += n;
        this.payloadFilled += n;
        if (this.payloadFilled < payload.byteLength) return moved;
      }
      const words = new Int32Array(this.header.buffer);
      const envelope = words[3] === 1 ? words.slice(4, 4 + ENVELOPE_WORDS) : undefined;
      this.headerFilled = 0;
      this.payload = undefined;
      onFrame({ context: words[0]!, tag: words[1]!, message: { payload, envelope } });
    }
  }
}
