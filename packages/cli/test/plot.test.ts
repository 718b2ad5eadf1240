import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeError } from '../src/cli-error.js';
import { main } from '../src/main.js';
import { movingAverage, runLabels } from '../src/commands/plot.js';
import { LEAST_SQUARES, runMain, tempDir, writeConfig } from './helpers.js';

const dir = tempDir('plot');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('syncopate plot', () => {
  it('draws loss against steps, time and bytes from the metrics of two runs, as SVG or PNG', async () => {
    const files: string[] = [];
    for (const [name, period] of [['period-2', 2], ['period-8', 8]] as const) {
      const config = writeConfig(dir, `${name}.json`, { ...LEAST_SQUARES, plugins: [{ name: 'localSgd', options: { period } }] });
      mkdirSync(join(dir, name));
      files.push(join(dir, name, 'metrics.jsonl'));
      expect((await runMain(['train', '-c', config, '--transport', 'simulated', '--metrics', files.at(-1)!])).code).toBe(0);
    }
    const svg = await runMain(['plot', ...files, '--out', join(dir, 'svg')]);
    expect(svg.code).toBe(0);
    expect(svg.stdout.trim().split('\n')).toEqual(['loss-vs-steps', 'loss-vs-time', 'loss-vs-bytes'].map((n) => `wrote ${join(dir, 'svg', `${n}.svg`)}`));
    const chart = readFileSync(join(dir, 'svg', 'loss-vs-steps.svg'), 'utf8');
    // One curve per run, one point per step of rank 0 (16 steps), labelled by folder.
    const paths = [...chart.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]!);
    expect(paths.map((d) => d.split(/[ML]/).filter(Boolean).length)).toEqual([16, 16]);
    expect(chart).toContain('>period-2</text>');
    expect(chart).toContain('>period-8</text>');
    const png = await runMain(['plot', ...files, '--out', join(dir, 'png'), '--format', 'png', '--smooth', '4']);
    expect(png.code).toBe(0);
    expect([...readFileSync(join(dir, 'png', 'loss-vs-bytes.png')).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]); // "PNG"
  });

  it('labels runs by file, or by folder when the file names repeat, and smooths with a trailing mean', () => {
    expect(runLabels(['a/bsp.jsonl', 'b/slowmo.jsonl'])).toEqual(['bsp', 'slowmo']);
    expect(runLabels(['examples/bsp/out/metrics.jsonl', 'examples/slowmo/out/metrics.jsonl'])).toEqual(['bsp', 'slowmo']);
    expect(movingAverage([4, 2, 6, 0], 2)).toEqual([4, 3, 4, 3]);
    expect(movingAverage([4, 2, 6], 1)).toEqual([4, 2, 6]);
  });

  it('names the file and line of a bad metrics file, and rejects bad flags', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"type":"step"}\nnot json\n');
    const failure = async (argv: string[]) => describeError(await main(argv).then(() => undefined, (e: unknown) => e));
    expect((await failure(['plot', bad])).message).toBe(`syncopate: syncopate plot: option 'file' ${bad}:2 is not valid JSON`);
    expect(await failure(['plot', bad, '--format', 'gif'])).toEqual({ message: "syncopate: plot: --format must be svg or png, got 'gif'", exitCode: 2 });
    expect((await failure(['plot'])).exitCode).toBe(2);
  });
});
