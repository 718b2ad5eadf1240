/**
 * Assertions of the compressor contract suite. They throw plain `Error`s with a message that
 * names what was expected, so the suite runs under any test runner.
 */

/** A failed contract check. */
export class ContractViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolation';
  }
}

/** Throw a {@link ContractViolation} with `message` unless `condition` holds. */
export function check(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new ContractViolation(typeof message === 'string' ? message : message());
}

/**
 * Run `action`, require it to throw an instance of `type` (checked by constructor name, so two
 * installed copies of core still agree) and return the error.
 */
export function expectError<E extends Error>(action: () => unknown, type: new (...args: never[]) => E, what: string): E {
  try {
    action();
  } catch (error) {
    check(error instanceof Error && (error instanceof type || error.name === type.name), () => `${what}: expected ${type.name}, got ${describe(error)}`);
    return error as E;
  }
  throw new ContractViolation(`${what}: expected ${type.name}, but nothing was thrown`);
}

/** Like {@link expectError} for a Promise. */
export async function expectRejection<E extends Error>(action: () => Promise<unknown>, type: new (...args: never[]) => E, what: string): Promise<E> {
  try {
    await action();
  } catch (error) {
    check(error instanceof Error && (error instanceof type || error.name === type.name), () => `${what}: expected ${type.name}, got ${describe(error)}`);
    return error as E;
  }
  throw new ContractViolation(`${what}: expected ${type.name}, but it resolved`);
}

/** Element-wise |a − b| ≤ tolerance · (1 + max|b|); names the first element that differs. */
export function checkClose(actual: Float32Array, expected: Float32Array, tolerance: number, what: string): void {
  check(actual.length === expected.length, `${what}: length ${actual.length}, expected ${expected.length}`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  const limit = tolerance * (1 + scale);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= limit)) {
      throw new ContractViolation(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} (tolerance ${limit.toExponential(2)})`);
    }
  }
}

/** Byte-wise equality, naming the first differing byte. */
export function checkSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  check(actual.length === expected.length, `${what}: ${actual.length} bytes, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) throw new ContractViolation(`${what}: byte ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
