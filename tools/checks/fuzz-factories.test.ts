/**
 * Fuzz every plugin factory (issue #10): thousands of seeded random and malformed option objects,
 * each of which must end in a typed Syncopate error with a message, or in a well-formed inert
 * spec whose options can be hashed and whose `register` works. Never a TypeError or RangeError
 * from deep inside, never a hang. Also the trainer's optimizer and schedule factories.
 *
 * Reproduce a failure from the printed factory name and case number: values come from core's
 * createRng keyed by (SEED, factory name, case).
 */
import { PLUGIN_KINDS, SyncopateError, type Registrar } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { discoverFactories, type DiscoveredFactory } from '../reliability/fuzz/discover-factories.js';
import { RandomValues } from '../reliability/fuzz/random-values.js';

const SEED = 20261123;
const CASES_PER_FACTORY = 250;
/** A factory only checks options and builds an object: anything slower than this is a bug. */
const CASE_BUDGET_MS = 250;

const PLUGIN_PACKAGES = ['topology', 'collectives', 'compression', 'sync-policy', 'momentum', 'scheduler'];

async function factoriesOf(pkg: string): Promise<DiscoveredFactory[]> {
  const exports = (await import(`../../packages/${pkg}/src/index.ts`)) as Record<string, unknown>;
  return discoverFactories(pkg, exports);
}

/** Registrar that records what a spec registers. */
function recordingRegistrar(): Registrar & { count: number } {
  const registrar = {
    count: 0,
    register() {
      registrar.count++;
    },
  };
  return registrar as unknown as Registrar & { count: number };
}

/** What one call did: a spec or other value, or the error it threw. */
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function call(factory: DiscoveredFactory, options: unknown): Outcome {
  try {
    return { ok: true, value: options === undefined && factory.known.length === 0 ? factory.fn() : factory.fn(options) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Strings quoted in an error message ('a', 'b'): allowed choices, fed back as later values. */
function harvest(message: string, into: Set<unknown>): void {
  for (const match of message.matchAll(/'([A-Za-z0-9_-]{1,30})'/g)) into.add(match[1]);
}

export interface FuzzTally {
  factories: number;
  cases: number;
  accepted: number;
  refused: number;
  slowest: number;
  failures: string[];
}

/** Run `cases` random option sets through `factory`, checking each outcome. */
export function fuzzFactory(
  factory: DiscoveredFactory,
  cases: number,
  checkValue: (value: unknown) => string | undefined,
  tally: FuzzTally,
  budgetMs = CASE_BUDGET_MS,
): void {
  const hints = new Set<unknown>();
  for (let i = 0; i < cases; i++) {
    const values = new RandomValues(SEED, `${factory.module}/${factory.name}`, i);
    const options = i === 0 ? undefined : values.options(factory.known, [...hints]);
    const start = performance.now();
    const outcome = call(factory, options);
    const ms = performance.now() - start;
    tally.cases++;
    tally.slowest = Math.max(tally.slowest, ms);
    const where = `${factory.module}.${factory.name} case ${i}`;
    if (ms > budgetMs) tally.failures.push(`${where}: took ${ms.toFixed(0)} ms`);
    if (outcome.ok) {
      tally.accepted++;
      const problem = checkValue(outcome.value);
      if (problem) tally.failures.push(`${where}: accepted options but ${problem}`);
      continue;
    }
    tally.refused++;
    const error = outcome.error;
    if (!(error instanceof SyncopateError)) {
      tally.failures.push(`${where}: threw ${(error as Error)?.name ?? typeof error} "${(error as Error)?.message}" instead of a SyncopateError`);
    } else if (!error.message.includes(factory.name) && !error.message.includes(':')) {
      tally.failures.push(`${where}: message "${error.message}" names neither the factory nor an option`);
    } else {
      harvest(error.message, hints);
    }
  }
}

/** A plugin spec must be inert, well-formed, hashable (plain JSON options) and registrable. */
export function checkSpec(value: unknown): string | undefined {
  const spec = value as { kind?: unknown; name?: unknown; options?: unknown; register?: unknown };
  if (!spec || typeof spec !== 'object') return `returned ${typeof value}, not a spec`;
  if (!PLUGIN_KINDS.includes(spec.kind as never)) return `returned kind ${String(spec.kind)}`;
  if (typeof spec.name !== 'string' || spec.name.length === 0) return 'returned a spec without a name';
  if (typeof spec.register !== 'function') return 'returned a spec without register()';
  let json: string | undefined;
  try {
    json = JSON.stringify(spec.options ?? {});
  } catch (error) {
    return `kept options that cannot be hashed: ${(error as Error).message}`;
  }
  if (json === undefined) return 'kept options that JSON cannot write';
  const registrar = recordingRegistrar();
  try {
    (spec.register as (r: Registrar) => void)(registrar);
  } catch (error) {
    return `register() threw ${(error as Error).name}: ${(error as Error).message}`;
  }
  return registrar.count > 0 ? undefined : 'register() registered nothing';
}

describe('fuzzing every factory with random and malformed options', () => {
  it('plugin factories of every plugin package end in a spec or a typed error, never a crash', async () => {
    const tally: FuzzTally = { factories: 0, cases: 0, accepted: 0, refused: 0, slowest: 0, failures: [] };
    const names: string[] = [];
    for (const pkg of PLUGIN_PACKAGES) {
      const factories = await factoriesOf(pkg);
      expect(factories.length, `${pkg} exports no factory the fuzzer can find`).toBeGreaterThan(0);
      for (const factory of factories) {
        tally.factories++;
        names.push(factory.name);
        fuzzFactory(factory, CASES_PER_FACTORY, checkSpec, tally);
      }
    }
    // The defining names of issue #10's examples must be among them, so discovery cannot silently shrink.
    expect(names).toEqual(expect.arrayContaining(['topK', 'errorFeedback', 'ringAllreduce', 'exponentialGraph', 'slowMo', 'localSgd', 'bsp', 'fusion']));
    console.log(`fuzz-factories: ${tally.factories} plugin factories, ${tally.cases} cases (${tally.accepted} accepted, ${tally.refused} refused), slowest ${tally.slowest.toFixed(1)} ms, seed ${SEED}`);
    expect(tally.failures.slice(0, 30)).toEqual([]);
    expect(tally.refused).toBeGreaterThan(tally.cases / 4);
    expect(tally.accepted).toBeGreaterThan(tally.factories);
  }, 120_000);

  it("the trainer's optimizer and schedule factories, and the data set factories, too", async () => {
    const trainer = (await import('../../packages/trainer/src/index.ts')) as Record<string, unknown>;
    const data = (await import('../../packages/data/src/index.ts')) as Record<string, unknown>;
    const factories = [...discoverFactories('trainer', trainer), ...discoverFactories('data', data)];
    expect(factories.map((f) => f.name)).toEqual(expect.arrayContaining(['sgd', 'momentumSgd', 'nesterovSgd', 'adam', 'stepDecay', 'linearWarmup', 'linearScaling']));
    const tally: FuzzTally = { factories: factories.length, cases: 0, accepted: 0, refused: 0, slowest: 0, failures: [] };
    const checkObject = (value: unknown) => (value && typeof value === 'object' ? undefined : `returned ${typeof value}`);
    // Data sets build their examples eagerly (fashionMnist reads the idx files): fewer cases, more time each.
    for (const factory of factories) {
      const isData = factory.module === 'data';
      fuzzFactory(factory, isData ? 60 : CASES_PER_FACTORY, checkObject, tally, isData ? 5_000 : CASE_BUDGET_MS);
    }
    console.log(`fuzz-factories: ${factories.length} trainer/data factories (${factories.map((f) => f.name).join(', ')}), ${tally.cases} cases (${tally.accepted} accepted, ${tally.refused} refused)`);
    expect(tally.failures.slice(0, 30)).toEqual([]);
  }, 120_000);

  it('flags a factory that crashes with a raw TypeError, accepts a hashable spec only, and times a slow one', () => {
    const tally: FuzzTally = { factories: 1, cases: 0, accepted: 0, refused: 0, slowest: 0, failures: [] };
    const careless: DiscoveredFactory = {
      module: 'probe',
      name: 'careless',
      known: ['ratio'],
      fn: (options) => ({ kind: 'compressor', name: 'careless', options: { k: (options as { ratio: number }).ratio.toFixed(2) }, register: () => undefined }),
    };
    fuzzFactory(careless, 40, checkSpec, tally);
    expect(tally.failures.some((f) => /threw TypeError/.test(f))).toBe(true);
    expect(tally.failures.some((f) => /register\(\) registered nothing/.test(f))).toBe(true);
    expect(checkSpec({ kind: 'compressor', name: 'x', options: { big: 1n }, register: () => undefined })).toMatch(/cannot be hashed/);
    const slow: DiscoveredFactory = { module: 'probe', name: 'slow', known: [], fn: () => { const end = performance.now() + CASE_BUDGET_MS + 20; while (performance.now() < end); return {}; } };
    const slowTally: FuzzTally = { factories: 1, cases: 0, accepted: 0, refused: 0, slowest: 0, failures: [] };
    fuzzFactory(slow, 1, () => undefined, slowTally);
    expect(slowTally.failures[0]).toMatch(/probe.slow case 0: took \d+ ms/);
  });
});
