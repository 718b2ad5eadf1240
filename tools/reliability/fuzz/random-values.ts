/**
 * Seeded random and malformed values for the fuzz checks (tools/checks/fuzz-*.test.ts). Every
 * draw comes from core's counter-based generator, so a failing case is reproduced by its seed
 * and case number alone.
 */
import { createRng, type Rng } from '@syncopate/core';

/** Values that break careless checks: wrong types, edge numbers, odd strings and containers. */
const EDGE_NUMBERS = [0, -0, 1, -1, 2, 0.5, -0.5, 1e-12, 1e-300, 3.7, 7, 8, 64, 255, 256, 1000, 2 ** 31, 2 ** 32, 2 ** 53, 1e308, NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER, -(2 ** 31)];
const EDGE_STRINGS = ['', ' ', '0', '1', '-1', 'NaN', 'true', 'null', 'abc', '__proto__', 'constructor', 'x'.repeat(300), '\u0000', 'é', '{', '1e999'];

/** A generator of random values, keyed by (seed, stream, case). */
export class RandomValues {
  readonly rng: Rng;

  constructor(seed: number, stream: string, caseIndex: number) {
    this.rng = createRng({ seed, rank: 0, step: caseIndex, stream });
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.rng.nextFloat() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.rng.nextInt(items.length)]!;
  }

  /** Any value: primitives at the edges, strings, arrays, objects, typed arrays, functions. */
  any(depth = 0, hints: readonly unknown[] = []): unknown {
    const r = this.rng;
    switch (r.nextInt(depth > 2 ? 12 : 16)) {
      case 0:
        return undefined;
      case 1:
        return null;
      case 2:
        return this.chance(0.5);
      case 3:
      case 4:
        return this.pick(EDGE_NUMBERS);
      case 5:
        return (r.nextFloat() - 0.5) * 10 ** r.nextInt(8);
      case 6:
        return r.nextInt(100) - 10;
      case 7:
        return this.pick(EDGE_STRINGS);
      case 8:
        return hints.length > 0 ? this.pick(hints) : this.pick(EDGE_STRINGS);
      case 9:
        return BigInt(r.nextInt(1000));
      case 10:
        return Symbol('fuzz');
      case 11:
        return () => 1;
      case 12:
        return Array.from({ length: r.nextInt(5) }, () => this.any(depth + 1, hints));
      case 13:
        return Object.fromEntries(Array.from({ length: r.nextInt(4) }, (_, i) => [this.pick(['a', 'name', 'options', 'kind', `k${i}`]), this.any(depth + 1, hints)]));
      case 14:
        return Float32Array.from({ length: r.nextInt(4) }, () => r.nextNormal());
      default:
        return new Date(0);
    }
  }

  /**
   * Options for a factory that knows `known` keys: usually an object holding a random subset of
   * them with random values (and sometimes a misspelt extra key), sometimes not an object at all.
   */
  options(known: readonly string[], hints: readonly unknown[] = []): unknown {
    if (this.chance(0.12)) return this.any(0, hints);
    const options: Record<string, unknown> = {};
    for (const key of known) if (this.chance(0.6)) options[key] = this.any(0, hints);
    if (this.chance(0.1)) options[known.length > 0 && this.chance(0.7) ? `${this.pick(known)}s` : 'unknownOption'] = this.any(0, hints);
    return options;
  }
}
