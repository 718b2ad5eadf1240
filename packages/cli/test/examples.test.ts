import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { readConfigFile } from '../src/config/read-config.js';
import { runTraining } from '../src/run/run-training.js';
import { memoryOutput } from '../src/report/output.js';
import { tempDir } from './helpers.js';

const examplesDir = join(import.meta.dirname, '..', '..', '..', 'examples');
/** The examples run by `syncopate train` (folders with a config.json; others show the API). */
const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(examplesDir, e.name, 'config.json')))
  .map((e) => e.name);
const dir = tempDir('examples');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Flags that shrink an example to a few steps: 2 ranks on the simulated network, 8 steps each. */
const tiny = (metrics: string) => ({
  ranks: 2,
  transport: 'simulated',
  epochs: 1,
  metrics,
  set: ['data.trainExamples=1024', 'data.testExamples=128'],
});

describe('examples/', () => {
  it('holds the four examples of the issue', () => {
    expect(examples).toEqual(expect.arrayContaining(['bsp', 'local-sgd', 'slowmo', 'local-sgd-topk-slowmo']));
  });

  it.each(examples)('%s: has a README with its command and a config that validates', (name) => {
    const configPath = join(examplesDir, name, 'config.json');
    const readme = readFileSync(join(examplesDir, name, 'README.md'), 'utf8');
    expect(readme).toContain(`node packages/cli/dist/bin.js train --config examples/${name}/config.json`);
    const config = loadConfig(readConfigFile(configPath), configPath);
    expect(config.metrics).toBe(`examples/${name}/out/metrics.jsonl`);
    expect(config.plugins.length).toBeGreaterThan(0);
  });

  it('bsp and local-sgd-topk-slowmo run end to end with tiny settings; the latter sends a few % of the bytes per sync', async () => {
    const run = async (name: string) => {
      const configPath = join(examplesDir, name, 'config.json');
      const metrics = join(dir, `${name}.jsonl`);
      const output = memoryOutput();
      const { exitCode, outcome } = await runTraining(loadConfig(readConfigFile(configPath), configPath, tiny(metrics)), { argv: [], output });
      expect(exitCode).toBe(0);
      expect(output.text()).toContain('data: fashion-mnist (1,024 train, 128 test examples)');
      // Rank 0's traffic in its training steps (the start-up broadcast of the parameters left out).
      const steps = readFileSync(metrics, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'step');
      const stepBytes = steps.reduce((sum: number, e: { bytesSent: number }) => sum + e.bytesSent, 0);
      return { ...outcome!, stepBytes, syncs: outcome!.epochs.at(-1)!.syncCount };
    };
    const dense = await run('bsp');
    const sparse = await run('local-sgd-topk-slowmo');
    expect(dense.syncs).toBe(8); // every step
    expect(sparse.syncs).toBe(2); // every 4 steps
    // BSP on 8 steps of 2 ranks: clearly learning (chance is 10 %).
    expect(dense.testAccuracy).toBeGreaterThan(0.3);
    // Top-1 % index/value pairs against dense float32 buffers: a few % of the bytes per synchronisation.
    const perSync = (o: { stepBytes: number; syncs: number }) => o.stepBytes / o.syncs;
    expect(perSync(sparse) / perSync(dense)).toBeLessThan(0.05);
  });
});
