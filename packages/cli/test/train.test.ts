import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StepEvent } from '@syncopate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { runInThreads } from '../src/run/run-in-threads.js';
import { runSimulatedNetwork } from '../src/run/run-simulated.js';
import { describeError } from '../src/cli-error.js';
import { main } from '../src/main.js';
import { ensureCliBuilt } from './ensure-built.js';
import { LEAST_SQUARES, mpiAvailable, runBin, runMain, tempDir, writeConfig } from './helpers.js';

const dir = tempDir('train');
beforeAll(() => ensureCliBuilt(), 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ignore = () => {};

describe('syncopate train', () => {
  it('trains a composition from a config file, shows progress and a summary, and writes rank 0 events as JSONL', async () => {
    const config = writeConfig(dir, 'ls.json', LEAST_SQUARES);
    const metrics = join(dir, 'out', 'metrics.jsonl');
    const { code, stdout } = await runMain(['train', '--config', config, '--transport', 'simulated', '--metrics', metrics]);
    expect(code).toBe(0);
    expect(stdout).toContain('ranks: 4 (local-simulated)');
    expect(stdout).toContain('composition: collective: nativeCollective (default); compressor: identity (default); sync-policy: localSgd(period=4, stream=parameter); momentum: slowMo(alpha=1, beta=0.3, baseBuffer=reset, period=48); scheduler: singleBucket (default)');
    expect(stdout).toMatch(/^epoch 2\/2 {2}train loss \d\.\d{4} {2}test loss \d\.\d{4} {2}[\d,]+ ex\/s$/m);
    expect(stdout).toMatch(/^time: .* wall; modelled \(simulated network, virtual clock\) /m);
    const events = readFileSync(metrics, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    const steps = events.filter((e) => e.type === 'step') as StepEvent[];
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(steps.every((s) => s.rank === 0)).toBe(true);
    expect(steps.filter((s) => s.synced).map((s) => s.step)).toEqual([3, 7, 11, 15]); // local SGD, period 4
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.epoch)).toEqual([0, 1]);
  });

  it('gives the same parameters on worker threads as on the simulated network (same seed, same composition)', async () => {
    const config = loadConfig({ ...LEAST_SQUARES, ranks: 2 }, 'ls.json');
    const simulated = await runSimulatedNetwork({ ...config, transport: { kind: 'simulated', latencyMs: 0, computeMs: 0 } }, ignore);
    const threads = await runInThreads(config, ignore);
    expect(threads.map((r) => r.optimalityGap)).toEqual(simulated.results.map((r) => r.optimalityGap));
    // …and it converged: within a few percent of F(x0) - F(x*) after 2 epochs.
    expect(threads[0]!.optimalityGap!).toBeGreaterThanOrEqual(0);
    expect(threads[0]!.optimalityGap!).toBeLessThan(0.05);
  });

  it('resumes from checkpoints bit for bit: an interrupted run ends where the uninterrupted one does', async () => {
    const simulated = { kind: 'simulated', latencyMs: 0.01, bandwidthGbps: 1, computeMs: 1 };
    const base = { ...LEAST_SQUARES, transport: simulated, evaluate: false };
    const straight = await runSimulatedNetwork(loadConfig(base, 'ls.json'), ignore);
    const checkpoint = { path: join(dir, 'ckpt', 'rank-{rank}.bin'), everySteps: 3, resume: true };
    // The first epoch only (8 steps: checkpoints after steps 3 and 6), then the whole run resumed from step 6.
    await runSimulatedNetwork(loadConfig({ ...base, epochs: 1, checkpoint }, 'ls.json'), ignore);
    const messages: unknown[] = [];
    const resumed = await runSimulatedNetwork(loadConfig({ ...base, checkpoint }, 'ls.json'), (m) => messages.push(m));
    expect(resumed.results.map((r) => r.resumedAtStep)).toEqual([6, 6, 6, 6]);
    expect(resumed.results.map((r) => r.optimalityGap)).toEqual(straight.results.map((r) => r.optimalityGap));
    expect(messages.filter((m) => (m as { type: string }).type === 'step')).toHaveLength(10);
  });

  it('checkpoints are coordinated: a resume picks the newest step every rank holds, even when rank 0 saved a later one', async () => {
    const simulated = { kind: 'simulated', latencyMs: 0.01, bandwidthGbps: 1, computeMs: 1 };
    const base = { ...LEAST_SQUARES, transport: simulated, evaluate: false };
    const straight = await runSimulatedNetwork(loadConfig(base, 'ls.json'), ignore);
    const folder = join(dir, 'coordinated');
    const checkpoint = { path: join(folder, 'rank-{rank}.bin'), everySteps: 2, keep: 2, resume: true };
    await runSimulatedNetwork(loadConfig({ ...base, epochs: 1, checkpoint }, 'ls.json'), ignore);
    // Steps 2, 4, 6 were checkpointed; keep: 2 left 4 and 6 on every rank.
    expect(readdirSync(folder).sort()).toEqual([0, 1, 2, 3].flatMap((r) => [`rank-${r}-step-4.bin`, `rank-${r}-step-6.bin`]));
    // As after a crash in which ranks 1–3 died before writing step 6.
    for (const r of [1, 2, 3]) rmSync(join(folder, `rank-${r}-step-6.bin`));
    const resumed = await runSimulatedNetwork(loadConfig({ ...base, checkpoint }, 'ls.json'), ignore);
    expect(resumed.results.map((r) => r.resumedAtStep)).toEqual([4, 4, 4, 4]);
    expect(resumed.results.map((r) => r.optimalityGap)).toEqual(straight.results.map((r) => r.optimalityGap));
    expect(readdirSync(folder).sort()).toEqual([0, 1, 2, 3].flatMap((r) => [`rank-${r}-step-12.bin`, `rank-${r}-step-14.bin`]).sort()); // the last step ends the run: no checkpoint
  });

  it('runs the ranks as MPI processes under mpirun with --transport mpi, to the same result', { skip: !mpiAvailable(), timeout: 60_000 }, async () => {
    const config = writeConfig(dir, 'ls-mpi.json', LEAST_SQUARES);
    const mpi = runBin(['train', '-c', config, '--transport', 'mpi', '--ranks', '2']);
    expect(mpi.stderr).toBe('');
    expect(mpi.code).toBe(0);
    expect(mpi.stdout).toContain('ranks: 2 (mpi)');
    const gap = /F\(x\) - F\(x\*\) = (\S+)/.exec(mpi.stdout)?.[1];
    const simulated = await runMain(['train', '-c', config, '--transport', 'simulated', '--ranks', '2']);
    expect(gap).toBeDefined();
    expect(/F\(x\) - F\(x\*\) = (\S+)/.exec(simulated.stdout)?.[1]).toBe(gap);
  });

  it('ends bad input with one line on stderr and exit status 2, never a stack trace', () => {
    const bad = writeConfig(dir, 'bad.json', { ...LEAST_SQUARES, plugins: ['localSgd', { name: 'topk' }] });
    const config = runBin(['train', '--config', bad]);
    expect([config.code, config.stdout]).toEqual([2, '']);
    expect(config.stderr).toMatch(/^syncopate: .*bad\.json: plugins\[1\]\.name: unknown plugin 'topk' \(did you mean 'topK'\?\); known: [^\n]*\n$/);
    const usage = runBin(['train', '--confg', bad]);
    expect([usage.code, usage.stdout, usage.stderr]).toEqual([2, '', "syncopate: train: Unknown option '--confg'\n"]);
  });

  it('names the flag or field at fault for every kind of bad command line', async () => {
    const bad = writeConfig(dir, 'bad2.json', { ...LEAST_SQUARES, plugins: ['localSgd', { name: 'topk' }] });
    const cases: [string[], RegExp][] = [
      [['train'], /^syncopate: train: give a config file/],
      [['train', '--config', bad, '--ranks', 'x'], /^syncopate: train: --ranks must be a positive integer, got 'x'$/],
      [['train', '--config', bad, '--set', 'plugins[1].name=topK', '--transport', 'carrier-pigeon'], /transport: must be one of 'local', 'mpi', 'simulated', got "carrier-pigeon"$/],
      [['train', '--config', join(dir, 'nope.json')], /nope\.json: cannot be read \(ENOENT\)$/],
      [['trian'], /^syncopate: unknown command 'trian'; commands: demo, train, launch, plot, plugins, bench$/],
    ];
    for (const [argv, line] of cases) {
      const error = await main(argv).then(
        () => undefined,
        (e: unknown) => e,
      );
      const { message, exitCode } = describeError(error);
      expect(exitCode, argv.join(' ')).toBe(2);
      expect(message).toMatch(line);
      expect(message).not.toContain('\n');
    }
  });
});
