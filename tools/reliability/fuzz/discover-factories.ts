/**
 * Finds every plugin factory a module exports, without a hand-kept list: a factory checks its
 * options with core's `knownOptions`, so called with an option no factory has it throws an
 * `OptionError` "… is not an option of <name>; known options: a, b". That names the factory and
 * every option it takes, which is what the fuzzer needs. Classes are skipped (they need `new`).
 */
import { OptionError } from '@syncopate/core';

/** One discovered factory. */
export interface DiscoveredFactory {
  readonly module: string;
  readonly name: string;
  readonly fn: (options?: unknown) => unknown;
  readonly known: readonly string[];
}

const PROBE = '__syncopateFuzzProbe';

/** Every factory among `exports` of `module`, with the option names it accepts. */
export function discoverFactories(module: string, exports: Record<string, unknown>): DiscoveredFactory[] {
  const found: DiscoveredFactory[] = [];
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value !== 'function' || /^class\b/.test(Function.prototype.toString.call(value))) continue;
    try {
      const result = (value as (o: unknown) => unknown)({ [PROBE]: 1 });
      // An async function is no factory; keep its rejection from going unhandled.
      if (result instanceof Promise) result.catch(() => undefined);
    } catch (error) {
      const match = error instanceof OptionError && error.option === PROBE ? /known options: (.*)$/.exec(error.message) : null;
      if (match) {
        const known = match[1] === 'none' ? [] : match[1]!.split(', ');
        found.push({ module, name, fn: value as (o?: unknown) => unknown, known });
      }
    }
  }
  return found;
}
