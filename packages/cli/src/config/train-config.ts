/**
 * The training config of `syncopate train`, after validation: plain JSON with every default
 * filled in, so it can be handed to worker threads and MPI ranks as is. The file format (JSON or
 * YAML) is documented in docs/cli.md; {@link validateConfig} turns a parsed file into this.
 */

/** How the ranks run. */
export type TransportConfig =
  /** Worker threads of this process over shared memory. */
  | { readonly kind: 'local' }
  /** One process per rank under `mpirun`, over Open MPI. */
  | { readonly kind: 'mpi'; readonly timeoutMs: number }
  /**
   * One thread, a modelled network (latency α, bandwidth B) and a virtual clock. `computeMs`:
   * `measured` advances each rank's clock by the compute time it really took; a number models
   * every step's compute as that many ms.
   */
  | {
      readonly kind: 'simulated';
      readonly latencyMs: number;
      readonly bandwidthGbps?: number;
      readonly computeMs: 'measured' | number;
    };

/** `local`, `mpi` or `simulated`. */
export type TransportKind = TransportConfig['kind'];

/** Fashion-MNIST from Debian's `dataset-fashion-mnist` (or `dir`). */
export interface FashionMnistConfig {
  readonly name: 'fashion-mnist';
  readonly shuffle: 'fixed' | 'global';
  readonly dir?: string;
  /** Train on a seeded random subset of this many examples (default: all 60 000). */
  readonly trainExamples?: number;
  /** Evaluate on the first this many test examples (default: all 10 000). */
  readonly testExamples?: number;
}

/** A synthetic convex problem with a known optimum, from `@syncopate/data`. */
export interface SyntheticDataConfig {
  readonly name: 'least-squares' | 'logistic-regression';
  readonly shuffle: 'fixed' | 'global';
  /** The factory's options (`samples`, `features`, …), checked by the factory. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** What a run trains on. */
export type DataConfig = FashionMnistConfig | SyntheticDataConfig;

/** The model trained. `linear` is the synthetic problem's own model. */
export type ModelConfig =
  | { readonly name: 'mlp'; readonly hidden: readonly number[]; readonly activation: MlpActivation }
  | { readonly name: 'cnn'; readonly filters: readonly number[] }
  | { readonly name: 'linear' };

/** Activation of an MLP's hidden layers. */
export type MlpActivation = 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'selu';

/** tfjs backend preference, handed to the trainer's `selectBackend`. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** A factory by name with its options (plugins, schedules). */
export interface NamedOptions {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** The base optimizer: `sgd`, `momentum`, `nesterov` or `adam`, its learning rate and options. */
export interface OptimizerConfig {
  readonly name: 'sgd' | 'momentum' | 'nesterov' | 'adam';
  readonly lr: number;
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * Periodic coordinated checkpoints: one file per rank and step (`{rank}` and `{step}` in `path`
 * are replaced; a missing one is added to the file name), the newest `keep` steps kept.
 */
export interface CheckpointConfig {
  readonly path: string;
  readonly everySteps: number;
  /** Checkpointed steps kept on disk per rank (default 2). */
  readonly keep: number;
  /** Continue from the newest step every rank holds intact, when there is one. */
  readonly resume: boolean;
}

/** A validated training run. */
export interface TrainConfig {
  /** Where the config came from (a file name, or `demo`), for messages. */
  readonly source: string;
  readonly description?: string;
  readonly seed: number;
  readonly ranks: number;
  readonly transport: TransportConfig;
  readonly data: DataConfig;
  readonly model: ModelConfig;
  readonly backend: BackendChoice;
  readonly optimizer: OptimizerConfig;
  readonly schedules: readonly NamedOptions[];
  readonly batchSize: number;
  readonly epochs: number;
  readonly plugins: readonly NamedOptions[];
  readonly nonFinite: 'stop' | 'skip';
  /** Evaluate on the test set at the end of each epoch (rank 0). */
  readonly evaluate: boolean;
  /** JSONL file of rank 0's step and epoch events. */
  readonly metrics?: string;
  /**
   * Chrome-trace JSON of every rank's timeline merged (compute, compression, communication and
   * wait spans; opens in Perfetto). Each rank's own timeline is written beside it as
   * `<name>.rank-<r>.json`.
   */
  readonly trace?: string;
  readonly checkpoint?: CheckpointConfig;
}
