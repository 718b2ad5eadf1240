/**
 * CI smoke of `syncopate bench` (issue #9): for real, as root, 2 MPI ranks in a 2-host netlab at
 * 1gbit train a tiny Fashion-MNIST MLP for one epoch with full SGD (bsp) and with local SGD
 * (period 8), and the JSON summary must show what defines them: local SGD averages 8 times less
 * often and sends less, both learn (accuracy above chance, in [0, 1]), the bytes add up, and the
 * lab is gone afterwards. Without root or Open MPI the run is skipped and says why; the refusal
 * itself is checked as user nobody when setpriv is there.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netlabUnavailableReason } from '../netlab/netlab.mjs';

const root = join(import.meta.dirname, '..', '..');
const cliDir = join(root, 'packages', 'cli');
const bin = join(cliDir, 'dist', 'bin.js');
const unavailable = netlabUnavailableReason({ mpirun: true });
const canDropRoot = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');
const dir = mkdtempSync(join(tmpdir(), 'syncopate-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ranks run the compiled cli: build it when it is missing or older than its sources. */
beforeAll(() => {
  const stamp = join(cliDir, 'dist', '.tsbuildinfo');
  const stale = () => execFileSync('find', [join(cliDir, 'src'), '-name', '*.ts', '-newer', stamp], { encoding: 'utf8' }).trim() !== '';
  if (!existsSync(stamp) || stale()) {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.lib.json'], { cwd: cliDir, stdio: 'inherit' });
  }
}, 120_000);

function config(name: string, plugins: unknown[]): string {
  const path = join(dir, `${name}.json`);
  const run = {
    description: `bench smoke: ${name}`,
    seed: 3,
    data: { name: 'fashion-mnist', trainExamples: 512, testExamples: 256 },
    model: { name: 'mlp', hidden: [32] },
    backend: 'wasm',
    optimizer: { name: 'sgd', lr: 0.1 },
    batchSize: 16,
    epochs: 1,
    plugins,
  };
  writeFileSync(path, JSON.stringify(run));
  return path;
}

function labs(): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
  return out.split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
}

describe('syncopate bench (root, real network lab)', () => {
  it.skipIf(unavailable !== undefined)(`compares bsp with local SGD (p = 8) on 2 ranks and tears the lab down${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
    const before = new Set(labs());
    const json = join(dir, 'summary.json');
    const run = spawnSync(
      process.execPath,
      [bin, 'bench', '--net', '1gbit', '--ranks', '2', '--config', config('bsp', ['bsp']), '--config', config('local-sgd', [{ name: 'localSgd', options: { period: 8 } }]), '--json', json, '--out', join(dir, 'out'), '--timeout-s', '50', '--target-accuracy', '0.3'],
      { encoding: 'utf8', timeout: 100_000 },
    );
    expect(run.status, `${run.stdout.slice(-3000)}\n${run.stderr}`).toBe(0);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary).toMatchObject({ format: 1, tool: 'syncopate bench', ranks: 2, network: { rate: '1gbit', hosts: 2 } });
    const [bsp, local] = summary.runs;
    expect([bsp.name, local.name, bsp.status, local.status]).toEqual(['bsp', 'local-sgd', 'ok', 'ok']);
    // 512 examples / (2 ranks x 16) = 16 steps: bsp averages at every step, local SGD every 8th.
    expect([bsp.steps, local.steps]).toEqual([16, 16]);
    expect(bsp.syncCount).toBe(16);
    expect(local.syncCount).toBe(2);
    expect(local.meanBytesSentPerRank).toBeLessThan(bsp.meanBytesSentPerRank / 3);
    for (const r of [bsp, local]) {
      expect(r.bytesSentPerRank).toHaveLength(2);
      expect(r.bytesPerStep).toBeCloseTo(r.meanBytesSentPerRank / r.steps, 6);
      // What crossed each namespace's interface covers at least what the transport sent.
      for (const [rank, wire] of (r.wireBytesPerRank as number[]).entries()) expect(wire).toBeGreaterThanOrEqual(r.bytesSentPerRank[rank]);
      // Ten classes: chance is 10 %; one epoch of SGD on 512 examples gets well above it.
      expect(r.testAccuracy).toBeGreaterThan(0.3);
      expect(r.testAccuracy).toBeLessThanOrEqual(1);
      expect(r.perEpoch).toHaveLength(1);
      expect(r.timeToTargetMs).toBe(r.perEpoch[0].elapsedMs);
      expect(r.wallMs).toBeGreaterThan(r.trainingMs);
      expect(r.loadAverage.start).toHaveLength(3);
      expect(existsSync(r.metrics)).toBe(true);
    }
    expect(summary.plots.some((p: string) => p.endsWith('accuracy-vs-time.svg'))).toBe(true);
    expect(run.stdout).toMatch(/^config\s+syncs\s+sent\/rank/m);
    // Every namespace this run created is gone.
    expect(labs().filter((ns) => !before.has(ns) && ns.startsWith('syn-'))).toEqual([]);
  }, 110_000);

  it.skipIf(!canDropRoot)(`refuses without root, saying so, before starting anything${canDropRoot ? '' : ' (skipped: needs root and setpriv to drop to user nobody)'}`, () => {
    const file = config('nobody', ['bsp']);
    execFileSync('chmod', ['a+rx', dir]);
    execFileSync('chmod', ['a+r', file]);
    const run = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, 'bench', '--net', '100mbit', '--config', file, '--out', join(tmpdir(), 'syncopate-bench-nobody')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^syncopate: bench: cannot build the network lab: netlab needs root/m);
  });
});
