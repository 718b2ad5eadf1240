import { OptionError, booleanOption, formatValue, knownOptions, numberOption } from '@syncopate/core';
import type { ProcessExists } from './peer-watch.js';

/** Settings of an {@link MpiTransport}. Every rank should pass the same values. */
export interface MpiTransportOptions {
  /** Default deadline of every call, in ms (`Infinity`: none). Default 60 000 (a lost peer ends every call within a minute). */
  readonly timeoutMs?: number;
  /**
   * Verify before each collective that all ranks called the same one with the same element
   * type, op, root and length, so a mismatch fails with an error naming each rank's call
   * instead of corrupting data or hanging. Every rank must pass the same value. The check is
   * one small allreduce; an allreduce of at most 4000 bytes (and a barrier) rides inside it, so it
   * costs nothing extra there, and larger collectives pay one small collective before moving
   * their data. Default true.
   */
  readonly checkCollectives?: boolean;
  /** Collectives of at most this many bytes take the non-blocking fast path. Default 65 536; 0 turns it off. */
  readonly nonblockingBytes?: number;
  /** How long the JS thread polls a small collective before handing it to its thread, in µs. Default 250. */
  readonly pollMicros?: number;
  /** How long a communicator's thread polls for the next call before sleeping, in µs. Default 0. */
  readonly laneSpinMicros?: number;
  /**
   * How many collectives of one communicator may be handed to the addon before the first of
   * them settles. The addon runs them on the communicator's thread one at a time, in call
   * order, so collectives issued without awaiting travel back to back even while the JS thread
   * computes. A collective already handed over cannot be withdrawn: when its deadline passes or
   * its signal fires before it started, it still runs in its turn (the transport then fails as
   * for any interrupted collective). 1 hands a collective over only after the previous one
   * settled on the JS thread. Default 64.
   */
  readonly collectiveDepth?: number;
  /** How often to check, while calls are in flight, that peer processes on this host still exist, in ms. Default 500; 0 turns it off. */
  readonly livenessIntervalMs?: number;
  /** How to tell that a process exists; default `kill(pid, 0)`. For tests. */
  readonly processExists?: ProcessExists;
}

/** {@link MpiTransportOptions} checked, with defaults filled in. */
export interface MpiTransportSettings {
  readonly timeoutMs: number;
  readonly checkCollectives: boolean;
  readonly nonblockingBytes: number;
  readonly pollMicros: number;
  readonly laneSpinMicros: number;
  readonly collectiveDepth: number;
  readonly livenessIntervalMs: number;
  readonly processExists: ProcessExists | undefined;
}

const OWNER = 'MpiTransport';
const KNOWN = ['timeoutMs', 'checkCollectives', 'nonblockingBytes', 'pollMicros', 'laneSpinMicros', 'collectiveDepth', 'livenessIntervalMs', 'processExists'];

/** Checks options at once; an {@link OptionError} names the option and its allowed range. */
export function mpiTransportSettings(options: MpiTransportOptions = {}): MpiTransportSettings {
  knownOptions(OWNER, options, KNOWN);
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs <= 0) {
    throw new OptionError(OWNER, 'timeoutMs', `must be a number > 0 (or Infinity), got ${formatValue(timeoutMs)}`);
  }
  if (options.processExists !== undefined && typeof options.processExists !== 'function') {
    throw new OptionError(OWNER, 'processExists', `must be a function (pid) => boolean, got ${formatValue(options.processExists)}`);
  }
  return Object.freeze({
    timeoutMs,
    checkCollectives: booleanOption(OWNER, 'checkCollectives', options.checkCollectives, true),
    nonblockingBytes: numberOption(OWNER, 'nonblockingBytes', options.nonblockingBytes, { integer: true, min: 0, max: 0x7fffffff }, 65_536),
    pollMicros: numberOption(OWNER, 'pollMicros', options.pollMicros, { integer: true, min: 0, max: 1_000_000 }, 250),
    laneSpinMicros: numberOption(OWNER, 'laneSpinMicros', options.laneSpinMicros, { integer: true, min: 0, max: 1_000_000 }, 0),
    collectiveDepth: numberOption(OWNER, 'collectiveDepth', options.collectiveDepth, { integer: true, min: 1, max: 1_000_000 }, 64),
    livenessIntervalMs: numberOption(OWNER, 'livenessIntervalMs', options.livenessIntervalMs, { min: 0 }, 500),
    processExists: options.processExists,
  });
}
