/**
 * A typed key for one service in a composition.
 *
 * A token remembers the type it resolves to, so `resolver.resolve(Compressor)` is a
 * `Compressor` without a cast. Tokens are compared by their symbol; two tokens made with the
 * same name are the same key (so two installed copies of `@syncopate/core` still agree).
 *
 * @example
 * ```ts
 * export interface Clock { now(): number }
 * export const Clock = token<Clock>('syncopate/Clock');
 * ```
 */
export interface Token<T> {
  /** The key the container stores the service under. */
  readonly key: symbol;
  /** Human-readable name, used in error messages. */
  readonly name: string;
  /** Phantom field carrying the resolved type; never set at run time. */
  readonly __type?: T;
}

/** Make a typed token. `name` should be `scope/Name`, e.g. `syncopate/Compressor`. */
export function token<T>(name: string): Token<T> {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError('token(name): name must be a non-empty string');
  }
  return Object.freeze({ key: Symbol.for(name), name });
}
