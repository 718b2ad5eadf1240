/**
 * One mini-batch as flat typed arrays (row-major). `inputs` holds `size` rows of
 * `inputShape` elements; `labels` holds one class index per row for classification, or
 * `targets` holds `size` rows of regression targets.
 */
export interface Batch {
  readonly size: number;
  readonly inputs: Float32Array;
  readonly labels?: Int32Array;
  readonly targets?: Float32Array;
}

/** How a rank's share of the training set is chosen. */
export interface ShardOptions {
  readonly rank: number;
  readonly size: number;
  readonly batchSize: number;
  /** Seed shared by every rank (for the global reshuffle). */
  readonly seed: number;
  /**
   * `fixed`: each rank keeps one contiguous shard of a single seeded permutation and reshuffles
   * inside it every epoch; `global`: every epoch, one permutation of the whole set (from the
   * shared seed and the epoch) is dealt out to the ranks.
   */
  readonly shuffle: 'fixed' | 'global';
  /** Drop the last partial batch so every rank takes the same number of steps (default true). */
  readonly dropLast?: boolean;
}

/**
 * Training and test data, held in typed arrays. Every rank sees the same number of batches per
 * epoch, so ranks stay in step.
 */
export interface Dataset {
  readonly name: string;
  /** Shape of one example, e.g. [784] or [28, 28, 1]. */
  readonly inputShape: readonly number[];
  /** Number of classes, for classification tasks. */
  readonly numClasses?: number;
  readonly trainSize: number;
  readonly testSize: number;
  /** The batches rank `rank` trains on in `epoch`. */
  trainBatches(epoch: number, options: ShardOptions): Iterable<Batch>;
  /** Number of batches per epoch for each rank under `options`. */
  batchesPerEpoch(options: ShardOptions): number;
  /** The test set in batches of `batchSize`. */
  testBatches(batchSize: number): Iterable<Batch>;
}
