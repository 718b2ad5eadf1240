/**
 * The peer race (tools/bench/peer-race), CI smoke version: the PyTorch side gets exactly the
 * shards @syncopate/data deals (checked against the pixels the data set itself hands out), bad
 * flags are refused by name, and — as root with PyTorch installed — a tiny race (2 ranks, 512
 * examples, 1 epoch, plain DDP against the race's Syncopate composition on a 100mbit lab) writes
 * a summary whose contestants trained on identical shard sizes, put bytes on the wire, report
 * accuracies in [0, 1], and whose lab is gone afterwards.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { netlabUnavailableReason } from '../netlab/netlab.mjs';
import { computeShards } from '../bench/peer-race/shards.mjs';
import { main, parseArgs } from '../bench/peer-race/run.mjs';

const root = join(import.meta.dirname, '..', '..');
const dataDist = join(root, 'packages', 'data', 'dist', 'index.js');
const cliBuildData = join(root, 'packages', 'cli', 'dist', 'run', 'build-data.js');
const FASHION = '/usr/share/datasets/fashion-mnist';
const dataSkip = !existsSync(`${FASHION}/train-images-idx3-ubyte.gz`)
  ? 'apt-get install dataset-fashion-mnist'
  : !existsSync(dataDist) || !existsSync(cliBuildData)
    ? 'build packages/data and packages/cli first'
    : undefined;
const torchSkip = spawnSync('/usr/bin/python3', ['-c', 'import torch.distributed as d; assert d.is_gloo_available()']).status === 0 ? undefined : 'apt-get install python3-torch libopenblas0-pthread';
const raceSkip = netlabUnavailableReason({ mpirun: true }) ?? dataSkip ?? torchSkip;
const work = mkdtempSync(join(tmpdir(), 'peer-race-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('peer race flags', () => {
  it.each([
    [['--variants', 'allreduce,nccl'], /--variants: unknown variant 'nccl'/],
    [['--net', '100mbps'], /--net: '100mbps' is not a rate/],
    [['--target-accuracy', '85'], /--target-accuracy must be in \(0, 1\]/],
    [['--ranks', '1'], /--ranks must be an integer ≥ 2/],
    [['--epoch', '2'], /unknown flag --epoch/],
    [['--config', '/nonexistent/race.json'], /--config: no file \/nonexistent\/race\.json/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe.skipIf(dataSkip !== undefined)(`peer race shards${dataSkip ? ` (skipped: ${dataSkip})` : ''}`, () => {
  it('are the examples the Syncopate trainer gets, subset included, disjoint across ranks', async () => {
    const data = await import(dataDist);
    const { subsetDataset } = await import(cliBuildData);
    const config = { seed: 3, batchSize: 32, data: { name: 'fashion-mnist', shuffle: 'global', trainExamples: 400, testExamples: 100 } } as const;
    const { meta, indices } = await computeShards(config, 2, 2);
    expect(meta).toMatchObject({ ranks: 2, epochs: 2, trainExamples: 400, testExamples: 100, examplesPerRank: 192, stepsPerEpoch: 6 });
    const pixels: Uint8Array = data.readIdxFile(`${FASHION}/train-images-idx3-ubyte.gz`, 3).data;
    const full = data.fashionMnist();
    const subset = subsetDataset(full, 400, 100, 3);
    for (let epoch = 0; epoch < 2; epoch++) {
      const seen = new Set<number>();
      for (let rank = 0; rank < 2; rank++) {
        const mine = indices.subarray((epoch * 2 + rank) * 192, (epoch * 2 + rank + 1) * 192);
        for (const i of mine) seen.add(i);
        let row = 0;
        for (const batch of subset.trainBatches(epoch, { rank, size: 2, batchSize: 32, seed: 3, shuffle: 'global', dropLast: true })) {
          for (let r = 0; r < batch.size; r++, row++) {
            const base = mine[row]! * 784;
            for (const k of [0, 200, 407, 783]) expect(batch.inputs[r * 784 + k]).toBeCloseTo(pixels[base + k]! / 255, 6);
          }
        }
        expect(row).toBe(192);
      }
      expect(seen.size).toBe(384); // no example on two ranks in one epoch
    }
    // A global reshuffle: epoch 1 deals differently from epoch 0.
    expect(Array.from(indices.subarray(0, 192))).not.toEqual(Array.from(indices.subarray(384, 576)));
  });
});

describe('peer race on a lab (root)', () => {
  it.skipIf(raceSkip !== undefined)(`a tiny race writes a consistent summary and tears its lab down${raceSkip ? ` (skipped: ${raceSkip})` : ''}`, async () => {
    const json = join(work, 'race.json');
    const summary = await main([
      '--net', '100mbit', '--ranks', '2', '--epochs', '1', '--train-examples', '512', '--test-examples', '500',
      '--variants', 'allreduce', '--out-dir', work, '--json', json, '--no-plots', '--timeout-s', '240',
    ]);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(summary.shards).toMatchObject({ trainExamples: 512, testExamples: 500, examplesPerRank: 256 });
    const [race] = summary.races;
    expect(race.contestants.map((c) => c.side)).toEqual(['pytorch', 'syncopate']);
    for (const c of race.contestants) {
      expect(c.examplesPerRankPerEpoch).toEqual([[256], [256]]); // same shard sizes on both sides
      expect(c.curve).toHaveLength(1);
      expect(c.wireBytes).toBeGreaterThan(0);
      for (const b of c.wireBytesPerHost) expect(b).toBeGreaterThan(0);
      for (const a of [c.finalAccuracy, c.bestAccuracy]) {
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1);
      }
      expect(c.reachedTarget).toBe(c.toTarget !== null);
    }
    expect(race.ratios).toHaveLength(1);
    expect(race.ratios[0].totalBytesRatio).toBeCloseTo(race.contestants[0].wireBytes / race.contestants[1].wireBytes, 9);
    const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    expect(left).not.toContain(`${race.lab}-`);
  }, 300_000);
});
