import type { ThreadFabric } from './fabric.js';

/** What the main thread hands each worker. */
export interface WorkerData {
  readonly fabric: ThreadFabric;
  readonly rank: number;
  /** `file:` URL of the user's module. */
  readonly module: string;
  readonly exportName: string;
  readonly args: unknown;
  readonly callTimeoutMs: number;
}

/** An error as it crosses from a worker to the main thread. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly stack?: string;
}

/** What a worker posts back when its rank is done. */
export type WorkerReport = { readonly kind: 'result'; readonly value: unknown } | { readonly kind: 'error'; readonly error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, stack: error.stack, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

/** An `Error` with the worker's name, message, code and stack. */
export function reviveError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  error.name = serialized.name;
  if (serialized.stack) error.stack = serialized.stack;
  if (serialized.code) Object.assign(error, { code: serialized.code });
  return error;
}
