import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransportError } from '@syncopate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../cli-error.js';
import { memoryOutput } from '../report/output.js';
import { resolveBenchOptions } from './bench-options.js';
import type { NetlabModule } from './netlab-module.js';
import { configNames, runBench, trainArgs } from './run-bench.js';

const dir = mkdtempSync(join(tmpdir(), 'syncopate-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A netlab module that records whether a lab was asked for, and reports `reason` as the machine's limit. */
function recordingNetlab(reason?: string): NetlabModule & { labs: number } {
  const module = {
    labs: 0,
    netlabUnavailableReason: () => reason,
    withNetlab: async () => {
      module.labs++;
      throw new Error('no lab in unit tests');
    },
  };
  return module as NetlabModule & { labs: number };
}

describe('configNames', () => {
  it("names a config by its file, or by its folder for config.json, and numbers repeats", () => {
    expect(configNames(['a/bsp.json', 'examples/local-sgd/config.json', 'b/bsp.yaml', 'c/bsp.json'])).toEqual(['bsp', 'local-sgd', 'bsp-2', 'bsp-3']);
  });
});

describe('trainArgs', () => {
  it('runs the config as an MPI rank of N, with the metrics file, the epochs and every --set', () => {
    const options = resolveBenchOptions({ net: '1gbit', config: ['a.json'], ranks: '2', epochs: '3', set: ['seed=4', 'batchSize=16'] });
    expect(trainArgs({ name: 'a', file: '/x/a.json', metrics: '/o/a.jsonl' }, options)).toEqual([
      'train', '--config', '/x/a.json', '--transport', 'mpi', '--ranks', '2', '--metrics', '/o/a.jsonl',
      '--epochs', '3', '--set', 'seed=4', '--set', 'batchSize=16',
    ]);
  });
});

describe('runBench', () => {
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify({ data: { name: 'fashion-mnist', trainExamples: 64 }, plugins: [{ name: 'bsp' }] }));

  it('stops before building a lab when the machine cannot host one, saying why', async () => {
    const netlab = recordingNetlab('netlab needs root (network namespaces and tc need CAP_NET_ADMIN)');
    const options = resolveBenchOptions({ net: '1gbit', config: [good], out: join(dir, 'out') });
    const error = await runBench(options, { output: memoryOutput(), netlab }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toBe('bench: cannot build the network lab: netlab needs root (network namespaces and tc need CAP_NET_ADMIN)');
    expect(netlab.labs).toBe(0);
  });

  it('validates every config, with the bench flags applied, before a lab is built', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ data: { name: 'fashion-mnist' }, plugins: [{ name: 'localSgd', options: { period: 0 } }] }));
    const netlab = recordingNetlab();
    const options = resolveBenchOptions({ net: '1gbit', config: [good, bad], out: join(dir, 'out') });
    const error = await runBench(options, { output: memoryOutput(), netlab }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('plugins[0].options.period');
    const overridden = resolveBenchOptions({ net: '1gbit', config: [good], set: ['batchSize=0'] });
    expect(await runBench(overridden, { output: memoryOutput(), netlab }).catch((e: unknown) => e)).toBeInstanceOf(ConfigError);
    expect(netlab.labs).toBe(0);
  });
});
