/**
 * The one place in `packages/` that touches tsyringe's global `container`: it only calls
 * `container.createChildContainer()`, once per trainer, and never registers anything on the
 * global container. eslint's ban on the global container (eslint.config.js, CHILD_CONTAINER_FILE)
 * whitelists exactly this file.
 *
 * Plugins see the child only through the narrow {@link Registrar} and {@link Resolver} adapters
 * below. Every provider is a `useValue` or a `useFactory`; no decorator metadata is involved.
 * Factories run once per trainer (tsyringe's `instanceCachingFactory`), lazily, on first resolve.
 */
import 'reflect-metadata';
import { CompositionError, type Provider, type Registrar, type Resolver, type Token } from '@syncopate/core';
import { container, instanceCachingFactory, type DependencyContainer } from 'tsyringe';

/** A trainer's own child container, seen as a registrar and a resolver. */
export class CompositionContainer implements Registrar, Resolver {
  private child: DependencyContainer | undefined = container.createChildContainer();

  register<T>(token: Token<T>, provider: Provider<T>): void {
    const child = this.live();
    if ('useValue' in provider) {
      child.register<T>(token.key, { useValue: provider.useValue });
    } else if (typeof provider?.useFactory === 'function') {
      const factory = provider.useFactory;
      child.register<T>(token.key, { useFactory: instanceCachingFactory<T>(() => factory(this)) });
    } else {
      throw new CompositionError([], `the provider registered for ${token.name} has neither useValue nor useFactory`);
    }
  }

  resolve<T>(token: Token<T>): T {
    if (!this.isRegistered(token)) throw new CompositionError([], `nothing in this composition provides ${token.name}`);
    return this.live().resolve<T>(token.key);
  }

  resolveOptional<T>(token: Token<T>): T | undefined {
    return this.isRegistered(token) ? this.live().resolve<T>(token.key) : undefined;
  }

  isRegistered<T>(token: Token<T>): boolean {
    return this.live().isRegistered(token.key, false);
  }

  /** Drop every registration and cached instance. Idempotent. */
  async dispose(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    await child?.dispose();
  }

  private live(): DependencyContainer {
    if (!this.child) throw new CompositionError([], 'this trainer has been disposed');
    return this.child;
  }
}
