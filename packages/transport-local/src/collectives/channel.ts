import { TransportError } from '@syncopate/core';
import type { CallScope } from '../call-scope.js';
import { ENVELOPE_WORDS, type Endpoint, type Message } from '../endpoint.js';
import { describeCode } from './codes.js';

/** Traffic counters a transport updates as messages complete. */
export interface Counters {
  bytesSent: number;
  bytesReceived: number;
  messagesSent: number;
}

/** The one tag collective messages use inside a communicator's collective context. */
const COLLECTIVE_TAG = 0;

/**
 * Point-to-point messages for one collective call, between ranks of one communicator.
 *
 * Every message carries an envelope `[seq, code, …]`: `seq` numbers the communicator's
 * collectives in call order and `code` says which collective it is. A message from an earlier
 * collective that failed on this rank (a deadline, an abort) is stale and dropped; one from a
 * later collective means the peer gave up on this one, so it is put back for its own call and
 * this call fails; one from a different collective with the same number means the ranks called
 * collectives in different orders. Both are errors naming both ranks, never a wrong result.
 */
export class CollectiveChannel {
  constructor(
    private readonly endpoint: Endpoint,
    private readonly group: readonly number[],
    private readonly context: number,
    readonly rank: number,
    readonly seq: number,
    readonly code: number,
    readonly scope: CallScope,
    private readonly counters: Counters,
  ) {}

  get size(): number {
    return this.group.length;
  }

  /** A fresh envelope holding `[seq, code]`, the rest zero. */
  envelope(): Int32Array {
    const envelope = new Int32Array(ENVELOPE_WORDS);
    envelope[0] = this.seq;
    envelope[1] = this.code;
    return envelope;
  }

  async send(peer: number, payload: Uint8Array, envelope: Int32Array = this.envelope()): Promise<void> {
    await this.endpoint.send(this.group[peer]!, this.context, COLLECTIVE_TAG, payload, envelope, this.scope);
    this.counters.bytesSent += payload.byteLength;
    this.counters.messagesSent++;
  }

  async recv(peer: number): Promise<Message> {
    for (;;) {
      this.scope.detail = `waiting for rank ${peer}`;
      const message = await this.endpoint.recv(this.group[peer]!, this.context, COLLECTIVE_TAG, this.scope);
      const envelope = message.envelope;
      if (envelope === undefined || envelope[0]! < this.seq) continue;
      if (envelope[0]! > this.seq) {
        // The peer has moved on (this collective failed on its side): leave the message for the
        // collective it belongs to.
        this.endpoint.unreceive(this.group[peer]!, this.context, COLLECTIVE_TAG, message);
      }
      if (envelope[0] !== this.seq || envelope[1] !== this.code) {
        throw new TransportError(
          `${describeCode(this.code)} #${this.seq} on rank ${this.rank}: rank ${peer} is running ${describeCode(envelope[1]!)} #${envelope[0]}; ` +
            'every rank must call the same collectives in the same order',
          [this.rank, peer],
        );
      }
      this.counters.bytesReceived += message.payload.byteLength;
      return message;
    }
  }

  /** Sends to `to` and receives from `from` at the same time (one ring step). */
  async exchange(to: number, payload: Uint8Array, from: number, envelope?: Int32Array): Promise<Message> {
    const [, message] = await Promise.all([this.send(to, payload, envelope), this.recv(from)]);
    return message;
  }
}
