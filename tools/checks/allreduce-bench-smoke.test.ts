/**
 * CI smoke of the allreduce benchmark (issue #3): `tools/bench/allreduce/run.mjs` on 2 ranks,
 * 2 sizes, 2 rounds, every program (C, mpi4py, our three variants), then `--merge` of its JSON
 * with itself, and `layers.mjs` once. What must hold: every program timed every size in every
 * round, the summary's ratios are the per-round C / ours it claims, the order of programs was
 * shuffled (not the same in both rounds for this seed), and a merge pools the rounds. Speed is
 * not checked here (see docs/benchmarks.md). Skipped, saying why, without Open MPI or mpi4py.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bench = join(root, 'tools', 'bench', 'allreduce');
const dir = mkdtempSync(join(tmpdir(), 'syncopate-allreduce-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function unavailableReason(): string | undefined {
  for (const tool of ['mpirun', 'mpicc']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (apt-get install openmpi-bin libopenmpi-dev)`;
  }
  if (spawnSync('/usr/bin/python3', ['-c', 'import mpi4py']).status !== 0) return 'mpi4py is not installed (apt-get install python3-mpi4py)';
  if (!existsSync(join(root, 'packages', 'transport-mpi', 'build', 'Release', 'syncopate_mpi.node'))) return 'the MPI addon is not built (npm ci builds it)';
  return undefined;
}
const unavailable = unavailableReason();

interface Sample {
  program: string;
  np: number;
  size: number;
  seconds: number;
  round: string;
}
interface Summary {
  rounds: number;
  samples: Sample[];
  results: { np: number; size: number; seconds: Record<string, number>; ratioCOverOurs: Record<string, number> }[];
}

const PROGRAMS = ['c', 'mpi4py', 'node-checked', 'node-unchecked', 'node-binding'];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

describe('allreduce benchmark (real MPI, 2 ranks)', () => {
  it.skipIf(unavailable !== undefined)(`times every program at every size and round, and merges runs${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
    const json = join(dir, 'run.json');
    const run = spawnSync(process.execPath, [join(bench, 'run.mjs'), '--np', '2', '--sizes', '1e3,1e5', '--rounds', '2', '--json', json], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\| np \| floats \| C \| mpi4py \| ours \(checked\)/m);
    const summary = JSON.parse(readFileSync(json, 'utf8')) as Summary;
    expect(summary.rounds).toBe(2);
    for (const round of ['0', '1']) {
      for (const size of [1000, 100_000]) {
        const here = summary.samples.filter((s) => s.round === round && s.size === size && s.np === 2);
        expect(here.map((s) => s.program).sort(), `round ${round}, ${size} floats`).toEqual([...PROGRAMS].sort());
        for (const s of here) expect(s.seconds, `${s.program}, round ${round}, ${size} floats`).toBeGreaterThan(0);
      }
    }
    // The ratio reported is the median over rounds of C-time / our-time within each round.
    for (const result of summary.results) {
      const perRound = ['0', '1'].map((round) => {
        const at = (program: string) => summary.samples.find((s) => s.round === round && s.size === result.size && s.program === program)!.seconds;
        return at('c') / at('node-checked');
      });
      expect(result.ratioCOverOurs.checked).toBeCloseTo(median(perRound), 12);
    }
    // Programs ran in a different order in the two rounds (the seeded shuffle).
    const order = (round: string) => [...new Set(summary.samples.filter((s) => s.round === round).map((s) => s.program))].join();
    expect(order('0')).not.toBe(order('1'));

    const merged = join(dir, 'merged.json');
    execFileSync(process.execPath, [join(bench, 'run.mjs'), '--merge', `${json},${json}`, '--json', merged], { encoding: 'utf8' });
    const pooled = JSON.parse(readFileSync(merged, 'utf8')) as Summary;
    expect(pooled.rounds).toBe(4);
    expect(pooled.samples).toHaveLength(2 * summary.samples.length);
  });

  it.skipIf(unavailable !== undefined)(`layers.mjs prints what the check and the TypeScript layer add${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
    const out = execFileSync(
      'mpirun',
      ['--allow-run-as-root', '--oversubscribe', '--bind-to', 'none', '-np', '2', process.execPath, join(bench, 'layers.mjs'), '1e3:20'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(out).toMatch(/^np 2, 1000 floats: binding [\d.]+ µs, binding\+check [\d.]+ µs, transport [\d.]+ µs — check -?[\d.]+ µs, TypeScript layer -?[\d.]+ µs$/m);
  });
});
