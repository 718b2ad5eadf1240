import { LengthMismatchError, SyncopateError, TransportError } from '@syncopate/core';
import type { MpiNativeError } from './binding.js';

/** Whether `error` came from the addon (it carries a string `code`). */
export function isNativeError(error: unknown): error is MpiNativeError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && !(error instanceof SyncopateError);
}

/**
 * The typed error for a failure of the addon. `operation` names the call
 * (`allreduce(float32, sum) #3 on rank 1`); `worldRanks[r]` is the world rank of rank `r` of the
 * communicator, used to name ranks as the user knows them.
 *
 * - ranks passed different lengths → {@link LengthMismatchError} (lengths by rank);
 * - a message does not fit `recvInto` → {@link LengthMismatchError} naming receiver and sender;
 * - ranks called different collectives → {@link TransportError} naming what each rank called;
 * - an MPI error code → {@link TransportError} with MPI's text and error class.
 */
export function fromNative(error: unknown, operation: string, worldRanks: readonly number[]): Error {
  if (!isNativeError(error)) return error instanceof Error ? error : new TransportError(`${operation}: ${String(error)}`);
  const world = (r: number) => worldRanks[r] ?? r;
  switch (error.code) {
    case 'LENGTH_MISMATCH': {
      const lengths = error.lengths ?? [];
      if (error.ranks && error.ranks.length === 2) {
        const [receiver, sender] = error.ranks as [number, number];
        const [expected, sent] = lengths as [number, number];
        return new LengthMismatchError(
          `${operation}: rank ${sender} sent ${sent} bytes into a buffer of ${expected} bytes on rank ${receiver}`,
          new Map([
            [sender, sent],
            [receiver, expected],
          ]),
        );
      }
      return new LengthMismatchError(operation, new Map(lengths.map((n, r) => [world(r), n] as [number, number])));
    }
    case 'SIGNATURE': {
      const parts = (error.signatures ?? []).map((s, r) => `rank ${world(r)}: ${s}`);
      return new TransportError(`${operation}: ranks called different collectives (${parts.join('; ')})`, [...worldRanks], { cause: error });
    }
    case 'MPI':
      return new TransportError(`${operation}: ${error.message} (MPI error class ${error.mpiErrorClass ?? '?'})`, [], { cause: error });
    default:
      return new TransportError(`${operation}: ${error.message}`, [], { cause: error });
  }
}
