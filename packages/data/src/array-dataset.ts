import { OptionError, numberOption, type Batch, type Dataset, type ShardOptions } from '@syncopate/core';
import { checkTable, gatherBatch, type ExampleTable } from './example-table.js';
import { checkEpoch, resolveShardOptions, shardIndices, shardPlan } from './sharding.js';

/** Options of {@link arrayDataset}. */
export interface ArrayDatasetOptions {
  /** Name shown in logs and metrics, e.g. `fashion-mnist`. */
  readonly name: string;
  /** Shape of one example, e.g. `[784]` or `[28, 28, 1]`. */
  readonly inputShape: readonly number[];
  /** Number of classes, when `labels` are class indices. */
  readonly numClasses?: number;
  readonly train: ExampleTable;
  /** Held-out examples; none when omitted. */
  readonly test?: ExampleTable;
}

/**
 * A {@link Dataset} over examples already in memory as typed arrays: per-rank sharding of the
 * training set (see `shardIndices`: `fixed` shards or a `global` reshuffle per epoch from the
 * shared seed) and test batches in order. Every batch is a fresh copy of the rows it holds.
 *
 * @example
 * ```ts
 * const data = arrayDataset({
 *   name: 'xor', inputShape: [2], numClasses: 2,
 *   train: { count: 4, inputs: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), labels: new Int32Array([0, 1, 1, 0]) },
 * });
 * for (const batch of data.trainBatches(0, { rank: 0, size: 2, batchSize: 2, seed: 7, shuffle: 'global' })) train(batch);
 * ```
 */
export function arrayDataset(options: ArrayDatasetOptions): Dataset {
  const owner = options.name ? `dataset '${options.name}'` : 'arrayDataset';
  if (typeof options.name !== 'string' || options.name.length === 0) throw new OptionError('arrayDataset', 'name', 'must be a non-empty string');
  const shape = options.inputShape;
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new OptionError(owner, 'inputShape', `must be a non-empty array of positive integers, got ${JSON.stringify(shape)}`);
  }
  const numClasses = options.numClasses === undefined ? undefined : numberOption(owner, 'numClasses', options.numClasses, { min: 2, integer: true });
  const inputSize = shape.reduce((a, b) => a * b, 1);
  const empty: ExampleTable = { count: 0, inputs: new Float32Array(0), ...(options.train.labels ? { labels: new Int32Array(0) } : { targets: new Float32Array(0) }) };
  const train = options.train;
  const test = options.test ?? empty;
  checkTable(owner, 'train', train, inputSize, numClasses);
  checkTable(owner, 'test', test, inputSize, numClasses);
  return new ArrayDataset(owner, options.name, Object.freeze([...shape]), numClasses, inputSize, train, test);
}

class ArrayDataset implements Dataset {
  constructor(
    private readonly owner: string,
    readonly name: string,
    readonly inputShape: readonly number[],
    readonly numClasses: number | undefined,
    private readonly inputSize: number,
    private readonly train: ExampleTable,
    private readonly test: ExampleTable,
  ) {}

  get trainSize(): number {
    return this.train.count;
  }

  get testSize(): number {
    return this.test.count;
  }

  batchesPerEpoch(options: ShardOptions): number {
    return shardPlan(this.owner, this.train.count, resolveShardOptions(this.owner, options)).batchesPerEpoch;
  }

  trainBatches(epoch: number, options: ShardOptions): Iterable<Batch> {
    // Validate now, not at the first next(), so a bad call fails where it is made.
    checkEpoch(this.owner, epoch);
    const resolved = resolveShardOptions(this.owner, options);
    const plan = shardPlan(this.owner, this.train.count, resolved);
    const { train, inputSize } = this;
    return {
      *[Symbol.iterator]() {
        const indices = shardIndices(train.count, epoch, resolved, plan);
        for (let start = 0; start < indices.length; start += resolved.batchSize) {
          yield gatherBatch(train, indices.subarray(start, start + resolved.batchSize), inputSize);
        }
      },
    };
  }

  testBatches(batchSize: number): Iterable<Batch> {
    numberOption(this.owner, 'batchSize', batchSize, { min: 1, integer: true });
    const { test, inputSize } = this;
    return {
      *[Symbol.iterator]() {
        for (let start = 0; start < test.count; start += batchSize) {
          const rows = new Int32Array(Math.min(batchSize, test.count - start));
          for (let r = 0; r < rows.length; r++) rows[r] = start + r;
          yield gatherBatch(test, rows, inputSize);
        }
      },
    };
  }
}
