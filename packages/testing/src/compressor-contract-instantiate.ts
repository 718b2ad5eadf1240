import { CompositionError, Compressor, ErrorFeedback, type PluginSpec, type Provider, type Resolver, type Token } from '@syncopate/core';

/** A service handed to a factory during a test, e.g. `[Transport, fakeTransport]`. */
export type CompressorContractService = readonly [Token<unknown>, unknown];

/**
 * Register `spec` into a throw-away composition and resolve `token` from it, as a trainer would:
 * each call makes fresh instances. `services` are extra services its factory may resolve.
 *
 * @example
 * ```ts
 * const compressor = instantiate(topK({ ratio: 0.01 }), Compressor);
 * ```
 */
export function instantiate<T>(spec: PluginSpec, token: Token<T>, services: readonly CompressorContractService[] = []): T {
  const providers = new Map<symbol, Provider<unknown>>();
  for (const [t, value] of services) providers.set(t.key, { useValue: value });
  spec.register({
    register<U>(t: Token<U>, provider: Provider<U>) {
      providers.set(t.key, provider as Provider<unknown>);
    },
  });
  const made = new Map<symbol, unknown>();
  const resolver: Resolver = {
    resolve<U>(t: Token<U>): U {
      const value = resolver.resolveOptional(t);
      if (value === undefined) throw new CompositionError([spec.name], `${spec.name}: nothing is registered for ${t.name}`);
      return value;
    },
    resolveOptional<U>(t: Token<U>): U | undefined {
      if (made.has(t.key)) return made.get(t.key) as U;
      const provider = providers.get(t.key) as Provider<U> | undefined;
      if (!provider) return undefined;
      const value = 'useValue' in provider ? provider.useValue : provider.useFactory(resolver);
      made.set(t.key, value);
      return value;
    },
    isRegistered<U>(t: Token<U>): boolean {
      return providers.has(t.key);
    },
  };
  return resolver.resolve(token);
}

/** A fresh `Compressor` from a compressor spec. */
export function instantiateCompressor(spec: PluginSpec, services: readonly CompressorContractService[] = []): Compressor {
  return instantiate(spec, Compressor, services);
}

/** A fresh `ErrorFeedback` from an error-feedback spec. */
export function instantiateErrorFeedback(spec: PluginSpec, services: readonly CompressorContractService[] = []): ErrorFeedback {
  return instantiate(spec, ErrorFeedback, services);
}
