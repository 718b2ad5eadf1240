import {
  OptionError,
  SHARED_RANK,
  booleanOption,
  choiceOption,
  createRng,
  knownOptions,
  numberOption,
  type ShardOptions,
} from '@syncopate/core';
import { randomPermutation, shuffleInPlace } from './permutation.js';

/**
 * Per-rank sharding of a training set.
 *
 * Every rank gets `floor(count / size)` examples per epoch, so all ranks take the same number of
 * steps and stay in step; the `count mod size` examples left over sit out that epoch. Two modes:
 *
 * - `fixed`: one seeded permutation of the whole set (the same on every rank) is cut into `size`
 *   contiguous shards; rank r keeps shard r for the whole run and reshuffles it every epoch with
 *   its own stream. Data never moves between ranks (as when each worker owns its data).
 * - `global`: every epoch, one permutation of the whole set, drawn from the shared seed and the
 *   epoch, is cut into `size` contiguous shards. Each rank sees a fresh sample of the whole set
 *   every epoch (PyTorch's `DistributedSampler` with `set_epoch`).
 *
 * Both are pure functions of (count, seed, rank, size, epoch): no rank needs to talk to another to
 * agree on the deal, and a resumed run draws the same batches.
 */

/** Shard options with every default filled in. */
export type ResolvedShardOptions = Required<ShardOptions>;

/** How many examples and batches one rank takes per epoch. */
export interface ShardPlan {
  /** Examples dealt to each rank per epoch. */
  readonly examplesPerRank: number;
  /** Batches each rank takes per epoch. */
  readonly batchesPerEpoch: number;
  /** Examples each rank actually trains on per epoch (`examplesPerRank` unless `dropLast`). */
  readonly examplesUsed: number;
}

const KNOWN = ['rank', 'size', 'batchSize', 'seed', 'shuffle', 'dropLast'];

/** Check shard options (naming `owner` in errors) and fill in `dropLast: true`. */
export function resolveShardOptions(owner: string, options: ShardOptions): ResolvedShardOptions {
  knownOptions(owner, options, KNOWN);
  if (options === undefined) throw new OptionError(owner, 'options', 'are required: { rank, size, batchSize, seed, shuffle }');
  const size = numberOption(owner, 'size', options.size, { min: 1, integer: true });
  return {
    rank: numberOption(owner, 'rank', options.rank, { min: 0, max: size - 1, integer: true }),
    size,
    batchSize: numberOption(owner, 'batchSize', options.batchSize, { min: 1, integer: true }),
    seed: numberOption(owner, 'seed', options.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }),
    shuffle: choiceOption(owner, 'shuffle', options.shuffle, ['fixed', 'global'] as const),
    dropLast: booleanOption(owner, 'dropLast', options.dropLast, true),
  };
}

/**
 * The per-rank plan for a set of `count` examples. Throws an {@link OptionError} when a rank
 * would get no batch at all, rather than training silently on nothing.
 */
export function shardPlan(owner: string, count: number, options: ResolvedShardOptions): ShardPlan {
  const examplesPerRank = Math.floor(count / options.size);
  const batchesPerEpoch = options.dropLast
    ? Math.floor(examplesPerRank / options.batchSize)
    : Math.ceil(examplesPerRank / options.batchSize);
  if (batchesPerEpoch === 0) {
    const needed = options.dropLast ? options.batchSize * options.size : options.size;
    throw new OptionError(
      owner,
      'batchSize',
      `${options.batchSize} with ${options.size} rank(s)${options.dropLast ? ' and dropLast' : ''} needs at least ${needed} training examples, the set has ${count}`,
    );
  }
  const examplesUsed = options.dropLast ? batchesPerEpoch * options.batchSize : examplesPerRank;
  return { examplesPerRank, batchesPerEpoch, examplesUsed };
}

/** Check an epoch number: an integer in [0, 2^32) (it keys the random stream). */
export function checkEpoch(owner: string, epoch: number): number {
  return numberOption(owner, 'epoch', epoch, { min: 0, max: 0xffffffff, integer: true });
}

/**
 * The example indices rank `options.rank` visits in `epoch`, in order: `examplesUsed` indices,
 * distinct, each in `[0, count)`. Batch b is `indices[b·batchSize … (b+1)·batchSize)`.
 */
export function shardIndices(count: number, epoch: number, options: ResolvedShardOptions, plan: ShardPlan): Int32Array {
  const { rank, seed } = options;
  const start = rank * plan.examplesPerRank;
  let shard: Int32Array;
  if (options.shuffle === 'fixed') {
    const deal = randomPermutation(count, createRng({ seed, rank: SHARED_RANK, step: 0, stream: 'data/fixed-shards' }));
    shard = shuffleInPlace(deal.slice(start, start + plan.examplesPerRank), createRng({ seed, rank, step: epoch, stream: 'data/fixed-epoch' }));
  } else {
    const deal = randomPermutation(count, createRng({ seed, rank: SHARED_RANK, step: epoch, stream: 'data/global-epoch' }));
    shard = deal.subarray(start, start + plan.examplesPerRank);
  }
  return shard.subarray(0, plan.examplesUsed);
}
