/** Types of shards.mjs, for TypeScript checks. */

/** Training and test set sizes of Debian's dataset-fashion-mnist. */
export declare const FASHION_MNIST_TRAIN: number;
export declare const FASHION_MNIST_TEST: number;

/** What the shard file describes. */
export interface ShardMeta {
  readonly ranks: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly shuffle: 'fixed' | 'global';
  readonly trainExamples: number;
  readonly testExamples: number;
  readonly examplesPerRank: number;
  readonly stepsPerEpoch: number;
}

/** The part of a `syncopate train` config the shards depend on. */
export interface ShardConfig {
  readonly seed?: number;
  readonly batchSize: number;
  readonly data: { readonly name: 'fashion-mnist'; readonly shuffle?: 'fixed' | 'global'; readonly trainExamples?: number; readonly testExamples?: number };
}

/** The indices (into the full training set) every rank visits, shape [epochs, ranks, examplesPerRank]. */
export declare function computeShards(config: ShardConfig, ranks: number, epochs: number): Promise<{ meta: ShardMeta; indices: Int32Array }>;

/** Writes PREFIX.json and PREFIX.i32; resolves with the metadata and the index file's path. */
export declare function writeShards(config: ShardConfig, ranks: number, epochs: number, prefix: string): Promise<ShardMeta & { file: string }>;
