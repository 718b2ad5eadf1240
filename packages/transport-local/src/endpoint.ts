import type { Clock } from '@syncopate/core';
import type { CallScope, Timers } from './call-scope.js';

/** One delivered message: its bytes and, for collective traffic, the check envelope. */
export interface Message {
  readonly payload: Uint8Array;
  /** Eight int32 words carried beside the payload by collective messages (see `collectives/channel.ts`). */
  readonly envelope: Int32Array | undefined;
}

/** Words in a collective message's envelope. */
export const ENVELOPE_WORDS = 8;

/**
 * The message engine of one rank, shared by every communicator (world and splits) of that rank.
 * Implemented by the worker-thread mailboxes and by the simulated network; `LocalTransport`
 * builds the public `Transport` on top.
 *
 * Messages are matched by (context, source, tag), first in first out. Contexts keep
 * communicators apart: each communicator owns two, one for user messages and one for its
 * collectives. Ranks here are world ranks.
 */
export interface Endpoint {
  readonly rank: number;
  readonly size: number;
  readonly clock: Clock;
  readonly timers: Timers;
  /** Call deadline used when the caller gives none (`Infinity` for none). */
  readonly defaultTimeoutMs: number;
  /** The next context id no communicator of this rank has used; `split` agrees on new ones. */
  nextContext: number;
  /**
   * Resolves when `payload` has left this rank (the caller may then reuse its buffer). The
   * endpoint keeps `envelope`: pass a fresh one per message.
   */
  send(dest: number, context: number, tag: number, payload: Uint8Array, envelope: Int32Array | undefined, scope: CallScope): Promise<void>;
  /** Resolves with the next message from `source` on (context, tag). */
  recv(source: number, context: number, tag: number, scope: CallScope): Promise<Message>;
  /** Puts a received message back at the front of its stream, for the call it really belongs to. */
  unreceive(source: number, context: number, tag: number, message: Message): void;
  /** Ends this rank: pending calls reject, peers waiting on it get a `RankLostError`. */
  dispose(): Promise<void>;
}

/** Key of one FIFO message stream. */
export function streamKey(context: number, source: number, tag: number): string {
  return `${context}/${source}/${tag}`;
}
