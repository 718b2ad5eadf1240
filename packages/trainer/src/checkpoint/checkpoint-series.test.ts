import { OptionError, createRng } from '@syncopate/core';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointSeries } from './checkpoint-series.js';

const dir = mkdtempSync(join(tmpdir(), 'syncopate-series-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CheckpointSeries', () => {
  it('names one file per rank and step, and lists a rank’s steps in order, ignoring other ranks, temporaries and strangers', () => {
    const series = new CheckpointSeries({ path: join(dir, 'list', 'r{rank}', 'run.{rank}.step-{step}.ckpt') });
    expect(series.path(3, 120)).toBe(join(dir, 'list', 'r3', 'run.3.step-120.ckpt'));
    expect(series.steps(0)).toEqual([]); // no folder yet
    series.prepare(0);
    for (const name of ['run.0.step-10.ckpt', 'run.0.step-2.ckpt', 'run.0.step-10.ckpt.tmp-77', 'run.1.step-4.ckpt', 'run.0.step-x.ckpt', 'run.0.step-3.ckptx']) {
      writeFileSync(join(dir, 'list', 'r0', name), '');
    }
    expect(series.steps(0)).toEqual([2, 10]);
    expect(series.keep).toBe(2);
    expect(series.namesRank).toBe(true);
  });

  it('prunes all but the newest `keep` steps up to a step, and removes steps after a resume point', () => {
    const series = new CheckpointSeries({ path: join(dir, 'prune', 'rank-{rank}-step-{step}.ckpt'), keep: 2 });
    series.prepare(1);
    for (const step of [5, 10, 15, 20, 25]) writeFileSync(series.path(1, step), '');
    expect(series.prune(1, 20)).toEqual([series.path(1, 5), series.path(1, 10)]);
    expect(series.steps(1)).toEqual([15, 20, 25]);
    expect(series.removeAfter(1, 15)).toEqual([series.path(1, 20), series.path(1, 25)]);
    expect(readdirSync(join(dir, 'prune'))).toEqual(['rank-1-step-15.ckpt']);
  });

  it('refuses a template without {step} in the file name, a bad keep and unknown options, naming the option', () => {
    const refuse = (options: unknown, message: RegExp) => {
      let error: unknown;
      try {
        new CheckpointSeries(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(OptionError);
      expect((error as Error).message).toMatch(message);
    };
    refuse({ path: 'out/ckpt-{rank}.bin' }, /option 'path' must hold '\{step\}' in the file name/);
    refuse({ path: 'out/{step}/ckpt.bin' }, /option 'path' must hold '\{step\}' in the file name/);
    refuse({ path: '' }, /option 'path' must be a non-empty string/);
    refuse({ path: 'a-{step}', keep: 0 }, /option 'keep' must be .*>= 1/);
    refuse({ path: 'a-{step}', kep: 2 }, /option 'kep' is not an option of CheckpointSeries \(did you mean 'keep'\?\)/);
    refuse(undefined, /option 'path' must be a non-empty string/);
  });

  it('answers 1,000 random option objects with a series or an OptionError, nothing else', () => {
    const values = [undefined, null, 0, -1, 1.5, 3, NaN, '', 'x', 'a-{step}.ckpt', 'r{rank}/s-{step}', '{step}/x', '{rank}-{step}', [], {}, true];
    let accepted = 0;
    for (let c = 0; c < 1000; c++) {
      const rng = createRng({ seed: 20261123, rank: 0, step: c, stream: 'checkpoint-series-fuzz' });
      const options: Record<string, unknown> = {};
      for (const key of ['path', 'keep', 'kept']) if (rng.nextInt(3) > 0) options[key] = values[rng.nextInt(values.length)];
      try {
        const series = new CheckpointSeries(options as never);
        expect(series.path(1, 2), `case ${c}`).toMatch(/2/);
        accepted++;
      } catch (error) {
        expect(error, `case ${c}: ${JSON.stringify(options)}`).toBeInstanceOf(OptionError);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});
