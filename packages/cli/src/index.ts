/**
 * @packageDocumentation
 * The `syncopate` command line: `train` (a composition from a JSON or YAML config, on worker
 * threads, a simulated network or MPI ranks), `demo` (the README's main command), `launch`
 * (mpirun with the flags that work here), `plot` (training curves from metrics JSONL), `bench`
 * (configs on MPI ranks in a shaped network lab, summarised as JSON) and `plugins` (the names a
 * config can use). The same pieces are exported for programs that want to
 * validate a config or run one.
 */
export { main, type Command } from './main.js';
export { ConfigError, UsageError, describeError } from './cli-error.js';
export type {
  BackendChoice,
  CheckpointConfig,
  DataConfig,
  FashionMnistConfig,
  MlpActivation,
  ModelConfig,
  NamedOptions,
  OptimizerConfig,
  SyntheticDataConfig,
  TrainConfig,
  TransportConfig,
  TransportKind,
} from './config/train-config.js';
export { validateConfig } from './config/validate-config.js';
export { loadConfig, withFlags, type ConfigFlags } from './config/load-config.js';
export { parseConfigText, readConfigFile } from './config/read-config.js';
export { applyOverrides, setField } from './config/overrides.js';
export { PLUGIN_CATALOG, pluginNamesByKind, type CatalogEntry } from './plugins/plugin-catalog.js';
export { buildPluginSpec, buildPluginSpecs } from './plugins/build-plugins.js';
export { runTraining, type TrainingOptions, type TrainingResult } from './run/run-training.js';
export { runRank, type RankOptions } from './run/rank-program.js';
export { checkpointSeries, checkpointTemplate } from './run/checkpoint-files.js';
export type { RankResult, RunCheckpoint, RunMessage, RunStart } from './run/run-messages.js';
export { RunReporter, type RunOutcome, type RunReporterOptions, type RunTotals } from './report/run-reporter.js';
export { memoryOutput, stdoutOutput, type Output } from './report/output.js';
export { DEMO_CONFIG, DEMO_TARGET_ACCURACY } from './demo/demo-config.js';
export { lineChart, type ChartOptions, type Series } from './svg-plot.js';
export { plotRuns, readMetrics, type RunMetrics } from './commands/plot.js';
export { resolveBenchOptions, NET_PRESETS, type BenchOptions } from './bench/bench-options.js';
export { runBench, type RunBenchOptions } from './bench/run-bench.js';
export { summarizeRun, parseMetricsLines, BENCH_FORMAT, type BenchEpoch, type BenchRun, type BenchSummary } from './bench/bench-summary.js';
export type { MetricsRecord, MetricsResult } from './report/metrics-file.js';
