/**
 * The Fashion-MNIST example indices every rank of a `syncopate train` config visits, epoch by
 * epoch, written for the PyTorch side of the peer race (ddp.py), so both sides train on exactly
 * the same shards in the same order.
 *
 * The indices are read through @syncopate/data's own Dataset contract, the code path the trainer
 * uses: a data set whose example i carries the label i is sharded with the trainer's options
 * (rank, size, batchSize, seed, shuffle, dropLast: true), and the labels of the batches it deals
 * are the indices. A `data.trainExamples` subset is drawn the way the CLI draws it (the first
 * batch of a rank-0-of-1 global deal, seeded with the config's seed), and the first
 * `data.testExamples` test examples are evaluated.
 *
 *   node tools/bench/peer-race/shards.mjs --config FILE --ranks N --out PREFIX [--epochs E]
 *
 * Writes PREFIX.json (metadata) and PREFIX.i32 (little-endian int32, shape [epochs, ranks,
 * examplesPerRank], indices into the full training set).
 */
import { Buffer } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');

/** Training and test set sizes of Debian's dataset-fashion-mnist. */
export const FASHION_MNIST_TRAIN = 60_000;
export const FASHION_MNIST_TEST = 10_000;

/** A data set of `count` examples whose labels are their own indices. */
function indexDataset(data, count) {
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = i;
  return data.arrayDataset({ name: 'indices', inputShape: [1], train: { count, inputs: new Float32Array(count), labels } });
}

/** The labels of every batch `dataset` deals in `epoch` under `shard`, concatenated. */
function dealt(dataset, epoch, shard) {
  const out = [];
  for (const batch of dataset.trainBatches(epoch, shard)) out.push(...batch.labels);
  return out;
}

/**
 * The shards of `config` (a `syncopate train` config as parsed JSON: seed, batchSize, data) on
 * `ranks` ranks for `epochs` epochs: `{ meta, indices }`, `indices` an Int32Array of shape
 * [epochs, ranks, examplesPerRank].
 */
export async function computeShards(config, ranks, epochs) {
  const data = await import(join(root, 'packages', 'data', 'dist', 'index.js'));
  const seed = config.seed ?? 0;
  const batchSize = config.batchSize;
  const shuffle = config.data?.shuffle ?? 'global';
  if (config.data?.name !== 'fashion-mnist') throw new Error(`shards: the peer race needs data.name 'fashion-mnist', the config has ${JSON.stringify(config.data?.name)}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`shards: the config's batchSize must be a positive integer, got ${JSON.stringify(batchSize)}`);
  if (!Number.isInteger(ranks) || ranks < 1) throw new Error(`shards: ranks must be a positive integer, got ${JSON.stringify(ranks)}`);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`shards: epochs must be a positive integer, got ${JSON.stringify(epochs)}`);
  const trainExamples = config.data.trainExamples ?? FASHION_MNIST_TRAIN;
  const testExamples = Math.min(config.data.testExamples ?? FASHION_MNIST_TEST, FASHION_MNIST_TEST);
  // The CLI's subset (packages/cli/src/run/build-data.ts): the first batch of a 1-rank global deal.
  let pool;
  if (trainExamples < FASHION_MNIST_TRAIN || testExamples < FASHION_MNIST_TEST) {
    pool = dealt(indexDataset(data, FASHION_MNIST_TRAIN), 0, { rank: 0, size: 1, batchSize: trainExamples, seed, shuffle: 'global', dropLast: true }).slice(0, trainExamples);
  } else {
    pool = Array.from({ length: FASHION_MNIST_TRAIN }, (_, i) => i);
  }
  const dataset = indexDataset(data, pool.length);
  const shardOf = (rank) => ({ rank, size: ranks, batchSize, seed, shuffle, dropLast: true });
  const perRank = dataset.batchesPerEpoch(shardOf(0)) * batchSize;
  const indices = new Int32Array(epochs * ranks * perRank);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let rank = 0; rank < ranks; rank++) {
      const local = dealt(dataset, epoch, shardOf(rank));
      if (local.length !== perRank) throw new Error(`shards: rank ${rank} got ${local.length} examples in epoch ${epoch}, expected ${perRank}`);
      const offset = (epoch * ranks + rank) * perRank;
      for (let i = 0; i < perRank; i++) indices[offset + i] = pool[local[i]];
    }
  }
  const meta = { ranks, epochs, batchSize, seed, shuffle, trainExamples: pool.length, testExamples, examplesPerRank: perRank, stepsPerEpoch: perRank / batchSize };
  return { meta, indices };
}

/** Writes PREFIX.json and PREFIX.i32; returns the metadata. */
export async function writeShards(config, ranks, epochs, prefix) {
  const { meta, indices } = await computeShards(config, ranks, epochs);
  writeFileSync(`${prefix}.i32`, Buffer.from(indices.buffer, indices.byteOffset, indices.byteLength));
  const full = { ...meta, file: `${prefix}.i32` };
  writeFileSync(`${prefix}.json`, `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
  };
  const configFile = flag('config');
  const out = flag('out');
  if (!configFile || !out) {
    console.error('usage: node tools/bench/peer-race/shards.mjs --config FILE --ranks N --out PREFIX [--epochs E]');
    process.exit(2);
  }
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  const ranks = Number(flag('ranks', config.ranks ?? 1));
  const epochs = Number(flag('epochs', config.epochs ?? 1));
  console.log(JSON.stringify(await writeShards(config, ranks, epochs, out)));
}
