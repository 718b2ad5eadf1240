/**
 * Typed errors. Every failure a user can meet has a class here and a message that names its
 * cause: the option, the plugins, the rank, the step or the tensor.
 */

/** Stable machine-readable error codes. */
export type ErrorCode =
  | 'OPTION'
  | 'COMPOSITION'
  | 'TRANSPORT'
  | 'RANK_LOST'
  | 'DEADLINE'
  | 'ABORTED'
  | 'LENGTH_MISMATCH'
  | 'PAYLOAD'
  | 'NON_FINITE'
  | 'LAYOUT_MISMATCH'
  | 'STATE';

/** Base class of every error Syncopate throws on purpose. */
export class SyncopateError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A plugin factory or the trainer got an option it cannot use. */
export class OptionError extends SyncopateError {
  constructor(
    readonly owner: string,
    readonly option: string,
    detail: string,
  ) {
    super('OPTION', `${owner}: option '${option}' ${detail}`);
  }
}

/** Plugins that cannot work together, or a missing service. Names every plugin involved. */
export class CompositionError extends SyncopateError {
  constructor(
    readonly plugins: readonly string[],
    message: string,
  ) {
    super('COMPOSITION', message);
  }
}

/** A transport operation failed. `ranks` lists the ranks involved, when known. */
export class TransportError extends SyncopateError {
  constructor(
    message: string,
    readonly ranks: readonly number[] = [],
    options?: { cause?: unknown },
  ) {
    super('TRANSPORT', message, options);
  }
}

/** A peer rank died or stopped answering. */
export class RankLostError extends SyncopateError {
  constructor(
    readonly rank: number,
    detail: string,
  ) {
    super('RANK_LOST', `rank ${rank} was lost: ${detail}`);
  }
}

/** An operation ran past its deadline. */
export class DeadlineError extends SyncopateError {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
    detail = '',
  ) {
    super('DEADLINE', `${operation} did not finish within ${timeoutMs} ms${detail ? `: ${detail}` : ''}`);
  }
}

/** An operation was cancelled through its AbortSignal. */
export class AbortedError extends SyncopateError {
  constructor(operation: string, reason?: unknown) {
    super('ABORTED', `${operation} was aborted${reason === undefined ? '' : `: ${String(reason)}`}`, { cause: reason });
  }
}

/** Ranks passed buffers of different lengths to one collective. */
export class LengthMismatchError extends SyncopateError {
  constructor(
    readonly operation: string,
    readonly lengths: ReadonlyMap<number, number>,
  ) {
    const parts = [...lengths].map(([rank, n]) => `rank ${rank}: ${n}`).join(', ');
    super('LENGTH_MISMATCH', `${operation}: ranks passed buffers of different lengths (${parts})`);
  }
}

/** A compressed payload is truncated, corrupted or of the wrong version or length. */
export class PayloadError extends SyncopateError {
  constructor(message: string) {
    super('PAYLOAD', message);
  }
}

/** NaN or ±Inf found where finite numbers are required. */
export class NonFiniteError extends SyncopateError {
  constructor(
    readonly where: string,
    readonly index: number,
    readonly value: number,
    readonly step?: number,
  ) {
    super(
      'NON_FINITE',
      `${where}: non-finite value ${value} at index ${index}${step === undefined ? '' : ` (step ${step})`}`,
    );
  }
}

/** Ranks hold different models or compositions. */
export class LayoutMismatchError extends SyncopateError {
  constructor(message: string) {
    super('LAYOUT_MISMATCH', message);
  }
}

/** A snapshot cannot be restored (wrong shape, version or checksum). */
export class StateError extends SyncopateError {
  constructor(message: string) {
    super('STATE', message);
  }
}
