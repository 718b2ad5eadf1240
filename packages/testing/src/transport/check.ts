/**
 * Assertions for transport scenarios. They throw plain `Error`s (no test framework), so the same
 * scenarios run in vitest, in worker threads and in MPI processes.
 */

/** Throws `Error(message)` unless `condition` holds. */
export function check(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new Error(typeof message === 'function' ? message() : message);
}

/** Throws unless the two byte strings are equal, naming the first differing index. */
export function checkBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  check(actual.byteLength === expected.byteLength, () => `${what}: expected ${expected.byteLength} bytes, got ${actual.byteLength}`);
  for (let i = 0; i < expected.byteLength; i++) {
    if (actual[i] !== expected[i]) throw new Error(`${what}: byte ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

/** The bytes of any view. */
export function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** What a call that must fail failed with. */
export interface Failure {
  readonly error: Error & { readonly code?: string };
  readonly code: string | undefined;
}

/**
 * Runs `call`, which must return a Promise that rejects; returns the error. A synchronous throw,
 * a resolution, or a rejection with another error `code` than `code` fails the check.
 */
export async function checkRejects(call: () => Promise<unknown>, code: string | undefined, what: string): Promise<Failure> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    throw new Error(`${what}: threw synchronously (${String(error)}) instead of returning a rejected Promise`);
  }
  try {
    await promise;
  } catch (caught) {
    check(caught instanceof Error, () => `${what}: rejected with a non-Error ${String(caught)}`);
    const error = caught as Error & { code?: string };
    if (code !== undefined) check(error.code === code, () => `${what}: expected an error with code ${code}, got ${error.name} (${error.code}): ${error.message}`);
    return { error, code: error.code };
  }
  throw new Error(`${what}: expected it to fail${code ? ` with ${code}` : ''}, but it succeeded`);
}
