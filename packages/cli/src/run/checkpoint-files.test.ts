import { OptionError } from '@syncopate/core';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointSeries, checkpointTemplate } from './checkpoint-files.js';

describe('checkpoint files of the config', () => {
  it('keeps {rank} and {step} where the path has them, and adds the missing ones before the extension', () => {
    expect(checkpointTemplate('out/ckpt-{rank}.bin')).toBe(join('out', 'ckpt-{rank}-step-{step}.bin'));
    expect(checkpointTemplate('out/model.ckpt')).toBe(join('out', 'model-rank-{rank}-step-{step}.ckpt'));
    expect(checkpointTemplate('ckpt')).toBe('ckpt-rank-{rank}-step-{step}');
    expect(checkpointTemplate('/runs/a.b/r{rank}/s{step}.bin')).toBe('/runs/a.b/r{rank}/s{step}.bin');
    expect(checkpointTemplate('./.hidden')).toBe(join('.', '.hidden-rank-{rank}-step-{step}'));
    const series = checkpointSeries({ path: 'out/ckpt-{rank}.bin', everySteps: 10, keep: 3, resume: true });
    expect([series.path(2, 30), series.keep]).toEqual([join('out', 'ckpt-2-step-30.bin'), 3]);
  });

  it('refuses a path that puts {step} in a folder, naming the option', () => {
    expect(() => checkpointSeries({ path: 'out/{step}/ckpt.bin', everySteps: 1, keep: 2, resume: false })).toThrow(OptionError);
    expect(() => checkpointSeries({ path: 'out/{step}/ckpt.bin', everySteps: 1, keep: 2, resume: false })).toThrow(/option 'path' must hold '\{step\}' in the file name/);
  });
});
