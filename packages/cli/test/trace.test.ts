import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ChromeTrace, CompleteEvent } from '@syncopate/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/cli-error.js';
import { loadConfig } from '../src/config/load-config.js';
import { rankTracePath } from '../src/run/write-trace.js';
import { ensureCliBuilt } from './ensure-built.js';
import { LEAST_SQUARES, runMain, tempDir, writeConfig } from './helpers.js';

const dir = tempDir('trace');
beforeAll(() => ensureCliBuilt(), 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BSP_PRIORITY = { ...LEAST_SQUARES, epochs: 1, evaluate: false, plugins: ['bsp', { name: 'priority', options: { partitionBytes: 16 } }] };
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as ChromeTrace;
const spans = (trace: ChromeTrace) => trace.traceEvents.filter((e): e is CompleteEvent => e.ph === 'X');

describe('syncopate train --trace', () => {
  it('writes each rank\'s timeline and the merged Chrome-trace JSON with every rank and the expected spans', async () => {
    const config = writeConfig(dir, 'bsp.json', BSP_PRIORITY);
    const path = join(dir, 'out', 'trace.json');
    const { code } = await runMain(['train', '--config', config, '--transport', 'simulated', '--trace', path]);
    expect(code).toBe(0);
    for (let rank = 0; rank < 4; rank++) {
      const own = read(rankTracePath(path, rank));
      expect(new Set(spans(own).map((e) => e.pid))).toEqual(new Set([rank]));
    }
    const merged = read(path);
    expect(merged.displayTimeUnit).toBe('ms');
    const all = spans(merged);
    expect(new Set(all.map((e) => e.pid))).toEqual(new Set([0, 1, 2, 3]));
    for (let rank = 0; rank < 4; rank++) {
      const names = new Set(all.filter((e) => e.pid === rank).map((e) => e.name));
      expect(names).toEqual(new Set(['step', 'compute', 'communication', 'wait']));
      // 8 steps per epoch, each a step span; 3 priority partitions (9 parameters, 4 per partition) per step.
      expect(all.filter((e) => e.pid === rank && e.name === 'step')).toHaveLength(8);
      expect(all.filter((e) => e.pid === rank && e.name === 'communication')).toHaveLength(8 * 3);
    }
    for (const e of all) {
      expect(Number.isFinite(e.ts) && Number.isFinite(e.dur) && e.dur >= 0).toBe(true);
    }
  });

  it('takes the path from the config field `trace`, also on worker threads', async () => {
    const path = join(dir, 'threads', 'run.trace.json');
    const config = writeConfig(dir, 'bsp-threads.json', { ...BSP_PRIORITY, ranks: 2, trace: path });
    const { code } = await runMain(['train', '--config', config, '--transport', 'local']);
    expect(code).toBe(0);
    expect(existsSync(join(dir, 'threads', 'run.trace.rank-0.json')) && existsSync(join(dir, 'threads', 'run.trace.rank-1.json'))).toBe(true);
    expect(new Set(spans(read(path)).map((e) => e.pid))).toEqual(new Set([0, 1]));
  });

  it('names the field when `trace` is not a path', () => {
    expect(() => loadConfig({ ...BSP_PRIORITY, trace: 5 }, 'bad.json')).toThrow(ConfigError);
    expect(() => loadConfig({ ...BSP_PRIORITY, trace: 5 }, 'bad.json')).toThrow(/bad\.json: trace: /);
    expect(loadConfig(BSP_PRIORITY, 'ok.json', { trace: 'x.json' }).trace).toBe('x.json');
  });

  it('places each rank\'s file beside the merged one', () => {
    expect(rankTracePath('out/trace.json', 2)).toBe('out/trace.rank-2.json');
    expect(rankTracePath('trace', 0)).toBe('trace.rank-0.json');
  });
});
