import 'reflect-metadata';
import { CompositionError, token } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { CompositionContainer } from './container.js';

interface Greeter {
  greet(): string;
}
const Greeter = token<Greeter>('test/Greeter');
const Name = token<string>('test/Name');

describe('CompositionContainer', () => {
  it('runs a factory once, lazily, with a resolver that sees the other registrations', () => {
    const composition = new CompositionContainer();
    let made = 0;
    composition.register(Greeter, {
      useFactory: (resolver) => {
        made++;
        return { greet: () => `hello ${resolver.resolve(Name)}` };
      },
    });
    composition.register(Name, { useValue: 'rank 3' });
    expect(made).toBe(0);
    expect(composition.resolve(Greeter).greet()).toBe('hello rank 3');
    expect(composition.resolve(Greeter)).toBe(composition.resolve(Greeter));
    expect(made).toBe(1);
  });

  it('keeps two trainers apart', () => {
    const a = new CompositionContainer();
    const b = new CompositionContainer();
    a.register(Name, { useValue: 'a' });
    expect(b.resolveOptional(Name)).toBeUndefined();
  });

  it('names a missing token and refuses use after dispose', async () => {
    const composition = new CompositionContainer();
    expect(() => composition.resolve(Greeter)).toThrow(new CompositionError([], 'nothing in this composition provides test/Greeter'));
    await composition.dispose();
    await composition.dispose();
    expect(() => composition.register(Name, { useValue: 'x' })).toThrow(/disposed/);
  });
});
