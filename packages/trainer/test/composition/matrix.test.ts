/**
 * The composition matrix of issue #7: every sync policy × {complete, ring, exponential graph} ×
 * {identity, fp16, QSGD, top-k + EF, PowerSGD + EF, EF-signSGD + EF} × {none, SlowMo} on 4
 * simulated ranks. A combination `createTrainer` accepts must train 30 steps with its loss
 * falling; one it refuses must be refused with a CompositionError whose message names the
 * plugins in conflict. The few combinations listed in KNOWN_GAPS (combinations.ts) are accepted but
 * do not work yet; they must keep showing exactly that symptom until the owning package refuses
 * them. docs/compatibility.md is rendered from these results, and must match.
 *
 * SYNCOPATE_WRITE_COMPATIBILITY=1 (tools/compatibility/generate.mjs) writes the file instead of
 * comparing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCompatibility, type MatrixRow } from '../../../../tools/compatibility/render.mjs';
import { defaultPlugins } from '../../src/index.js';
import { COMPRESSORS, MOMENTA, POLICIES, TOPOLOGIES, combinations, exportedPolicyFactories, knownGapOf, pluginsOf, type Combination, type KnownGap } from './combinations.js';
import { RANKS, STEPS, matrixProblem, runCombination, type Outcome } from './run-combination.js';

const DOC = join(import.meta.dirname, '..', '..', '..', '..', 'docs', 'compatibility.md');
const problem = matrixProblem();
const outcomes = new Map<Combination, Outcome>();
const all = combinations();

async function outcomeOf(combination: Combination): Promise<Outcome> {
  let outcome = outcomes.get(combination);
  if (!outcome) outcomes.set(combination, (outcome = await runCombination(problem, combination)));
  return outcome;
}

const describeCombination = (c: Combination) => `${c.policy.factory} × ${c.topology.label} × ${c.compressor.label} × ${c.momentum.label}`;

/** Whether `outcome` shows the symptom of `gap` (a fixed gap must leave KNOWN_GAPS). */
function showsGap(gap: KnownGap, outcome: Outcome): boolean {
  if (gap.symptom === 'run-time error') return outcome.kind === 'failed';
  return outcome.kind === 'trained' && !(outcome.finalLoss < outcome.initialLoss);
}

function checkOutcome(combination: Combination, outcome: Outcome): void {
  const where = describeCombination(combination);
  const gap = knownGapOf(combination);
  if (gap) {
    const seen = outcome.kind === 'failed' ? `failed: ${outcome.error.message}` : outcome.kind === 'refused' ? `refused: ${outcome.error.message}` : 'trained';
    expect(showsGap(gap, outcome), `${where} is a known gap (${gap.symptom}) but now ${seen}: remove it from KNOWN_GAPS`).toBe(true);
    return;
  }
  if (outcome.kind === 'failed') throw new Error(`${where} neither trained nor was refused by createTrainer: ${outcome.error.stack ?? outcome.error.message}`);
  if (outcome.kind === 'trained') {
    expect(Number.isFinite(outcome.finalLoss), `${where}: final loss ${outcome.finalLoss}`).toBe(true);
    expect(outcome.finalLoss, `${where}: the loss must fall`).toBeLessThan(outcome.initialLoss);
    return;
  }
  const { error } = outcome;
  const names = new Set([...pluginsOf(combination), ...Object.values(defaultPlugins()).map((make) => make())].map((p) => p.name));
  expect(error.plugins.length, `${where}: the refusal names no plugin: ${error.message}`).toBeGreaterThan(0);
  for (const name of error.plugins) {
    expect(names.has(name), `${where}: the refusal names '${name}', which is not in the composition`).toBe(true);
    expect(error.message, `${where}: the message must name '${name}'`).toContain(name);
  }
}

describe('composition matrix', () => {
  it('covers every sync policy that @syncopate/sync-policy exports', () => {
    expect(POLICIES.map((p) => p.factory).sort()).toEqual(exportedPolicyFactories());
    for (const policy of POLICIES) expect(policy.make().name).toBe(policy.factory);
  });

  for (const policy of POLICIES) {
    it(`${policy.factory}: every combination trains with a falling loss or is refused naming the conflict`, async () => {
      for (const combination of all.filter((c) => c.policy === policy)) checkOutcome(combination, await outcomeOf(combination));
    }, 120_000);
  }

  it('docs/compatibility.md is generated from this matrix and is up to date', async () => {
    const rows: MatrixRow[] = [];
    for (const c of all) {
      const outcome = await outcomeOf(c);
      const gap = knownGapOf(c);
      const cell: MatrixRow['outcome'] =
        gap && showsGap(gap, outcome)
          ? { kind: 'gap', reason: gap.why, observed: outcome.kind === 'trained' ? `loss ×${(outcome.finalLoss / outcome.initialLoss).toPrecision(3)}` : 'fails' }
          : outcome.kind === 'trained'
            ? { kind: 'trained', initialLoss: outcome.initialLoss, finalLoss: outcome.finalLoss }
            : { kind: outcome.kind, reason: outcome.error.message.split('\n')[0]! };
      rows.push({ policy: c.policy.factory, topology: c.topology.label, compressor: c.compressor.label, momentum: c.momentum.label, outcome: cell });
    }
    const text = renderCompatibility({
      policies: POLICIES.map((p) => {
        const spec = p.make();
        const provides = (spec.provides ?? []).filter((c) => c.startsWith('sync-policy:'));
        return { name: p.factory, options: `${p.factory}(${JSON.stringify(spec.options)})`, provides };
      }),
      topologies: TOPOLOGIES.map((t) => t.label),
      compressors: COMPRESSORS.map((c) => c.label),
      momenta: MOMENTA.map((m) => m.label),
      setup: [
        `Setup: ${RANKS} ranks on the simulated network; ${STEPS} steps (one epoch) of plain SGD, learning rate 0.05,`,
        `batch 8 per rank, on \`leastSquares({ samples: ${problem.dataset.trainSize}, features: 8, noise: 0.1, seed: 7 })\`.`,
        'Compressors run with their defaults except `topK({ ratio: 0.25 })` (the model has 9 parameters);',
        '`slowMo({ period: 10 })`: its defaults, with τ = 10 so that over gossip, where SlowMo takes the',
        'exact average itself every τ steps, it acts within the 30 steps (elsewhere its outer step runs at',
        "the policy's syncs and τ is unused). The collective follows from the policy and the topology: gossip",
        'policies get `neighbourAverage()` or `pushSum()` over the topology; the others get the allreduce',
        'that fits the graph: the transport\'s own (`nativeCollective`) on the complete graph,',
        '`ringAllreduce` on the ring, `recursiveDoublingAllreduce` (rounds pair ranks 2^k apart) on the',
        'exponential graph.',
      ],
      rows,
    });
    if (process.env.SYNCOPATE_WRITE_COMPATIBILITY === '1') {
      writeFileSync(DOC, text);
      return;
    }
    let committed = '';
    try {
      committed = readFileSync(DOC, 'utf8');
    } catch {
      // missing: reported below
    }
    expect(committed, 'docs/compatibility.md is out of date: run `node tools/compatibility/generate.mjs`').toBe(text);
  }, 120_000);
});
