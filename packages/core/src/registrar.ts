import type { Token } from './token.js';

/** Looks up services registered in a composition. Only factories receive one. */
export interface Resolver {
  /** The service registered for `token`; throws a `CompositionError` naming the token if none is. */
  resolve<T>(token: Token<T>): T;
  /** The service registered for `token`, or `undefined`. */
  resolveOptional<T>(token: Token<T>): T | undefined;
  /** Whether anything is registered for `token`. */
  isRegistered<T>(token: Token<T>): boolean;
}

/**
 * How a service is made. Factories run once per composition (per trainer), lazily, the first
 * time the token is resolved; the result is cached for that composition.
 */
export type Provider<T> = { readonly useValue: T } | { readonly useFactory: (resolver: Resolver) => T };

/**
 * What a plugin's `register` receives: the one way a plugin adds services to a composition.
 * It is a narrow view of the trainer's child container; plugins never see the container itself.
 */
export interface Registrar {
  register<T>(token: Token<T>, provider: Provider<T>): void;
}
