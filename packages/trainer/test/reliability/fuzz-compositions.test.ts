/**
 * Fuzz createTrainer (issue #10): seeded random compositions of every plugin factory the plugin
 * packages export (default options, or random ones that the factory accepted), with random
 * trainer options, each built and — when `createTrainer` accepts it — trained for a few steps on
 * three simulated ranks. Every case must end in a trainer that runs, or in a typed Syncopate
 * error with a message (bad options, impossible compositions naming the plugins), never a raw
 * TypeError/RangeError and never a hang (each case has a deadline on the wall clock).
 */
import { SyncopateError, type PluginSpec } from '@syncopate/core';
import * as collectives from '@syncopate/collectives';
import * as compression from '@syncopate/compression';
import * as momentum from '@syncopate/momentum';
import * as scheduler from '@syncopate/scheduler';
import * as syncPolicy from '@syncopate/sync-policy';
import * as topology from '@syncopate/topology';
import { runSimulated } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { discoverFactories, type DiscoveredFactory } from '../../../../tools/reliability/fuzz/discover-factories.js';
import { RandomValues } from '../../../../tools/reliability/fuzz/random-values.js';
import { createTrainer } from '../../src/create-trainer.js';
import { smallProblem } from '../../src/test-support/simulated-ranks.js';

const SEED = 20261123;
const CASES = 1000;
const CASE_DEADLINE_MS = 10_000;
const problem = smallProblem();

const factories: DiscoveredFactory[] = Object.entries({ topology, collectives, compression, syncPolicy, momentum, scheduler }).flatMap(([name, module]) =>
  discoverFactories(name, module as Record<string, unknown>),
);

/** A spec from `factory`: with its defaults, or with random options it accepts; undefined if none. */
function specOf(factory: DiscoveredFactory, values: RandomValues): PluginSpec | undefined {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return factory.fn(attempt === 0 && values.chance(0.5) ? undefined : values.options(factory.known)) as PluginSpec;
    } catch {
      // refused: the factory fuzz covers that; try other options
    }
  }
  return undefined;
}

type Outcome = 'trained' | 'refused' | string;

async function runCase(i: number): Promise<{ outcome: Outcome; plugins: string[] }> {
  const values = new RandomValues(SEED, 'compositions', i);
  const plugins = Array.from({ length: values.rng.nextInt(5) }, () => specOf(values.pick(factories), values)).filter((s): s is PluginSpec => s !== undefined);
  const names = plugins.map((p) => p.name);
  const trainerOptions = {
    lr: values.chance(0.95) ? 0.05 : values.any(),
    batchSize: values.chance(0.95) ? 8 : values.any(),
    seed: values.chance(0.95) ? i : values.any(),
    nonFinite: values.chance(0.95) ? 'skip' : values.any(),
  };
  const run = runSimulated(3, async (transport) => {
    const trainer = createTrainer({ transport, model: problem.createModel(), data: problem.dataset, plugins, evaluate: false, ...(trainerOptions as object) });
    try {
      await trainer.fit({ epochs: 1, stopAtStep: 3 });
    } finally {
      await trainer.dispose();
    }
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), CASE_DEADLINE_MS)));
  try {
    const done = await Promise.race([run.then(() => 'trained' as const), deadline]);
    return { outcome: done === 'hang' ? `no result within ${CASE_DEADLINE_MS} ms` : done, plugins: names };
  } catch (error) {
    // The simulated network reports a failed rank as a TransportError whose cause is the rank's own error.
    const cause = (error as Error).cause ?? error;
    if (cause instanceof SyncopateError && cause.message.length > 0) return { outcome: 'refused', plugins: names };
    return { outcome: `${(cause as Error).name}: ${(cause as Error).message}`, plugins: names };
  } finally {
    clearTimeout(timer);
  }
}

describe('fuzzing createTrainer with random compositions', () => {
  it(`${CASES} seeded random compositions train or are refused with a typed error`, async () => {
    expect(factories.length).toBeGreaterThan(40);
    const tally = new Map<string, number>();
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const { outcome, plugins } = await runCase(i);
      const key = outcome === 'trained' || outcome === 'refused' ? outcome : 'failed';
      tally.set(key, (tally.get(key) ?? 0) + 1);
      if (outcome !== 'trained' && outcome !== 'refused') failures.push(`case ${i} [${plugins.join(', ')}]: ${outcome}`);
    }
    console.log(`fuzz-compositions: ${CASES} compositions from ${factories.length} factories: ${JSON.stringify(Object.fromEntries(tally))}`);
    expect(failures).toEqual([]);
    expect(tally.get('trained') ?? 0).toBeGreaterThan(CASES / 10);
    expect(tally.get('refused') ?? 0).toBeGreaterThan(CASES / 10);
  }, 120_000);
});
