/**
 * @packageDocumentation
 * Contracts of Syncopate: typed tokens, plugin specs, the interface and service key of every
 * plugin kind, the transport, the flat parameter layout, step events, typed errors, a
 * counter-based seeded RNG and a clock. Implementations live in the other packages.
 */
export { token, type Token } from './token.js';
export type { Provider, Registrar, Resolver } from './registrar.js';
export { Capabilities, PLUGIN_KINDS, ProvidedCapabilities, type Capability, type PluginKind, type PluginSpec, type Requirement } from './plugin.js';
export type { Snapshot, StateValue, Stateful } from './state.js';
export * from './errors.js';
export { booleanOption, choiceOption, closestName, formatValue, knownOptions, numberOption, type NumberRule } from './options.js';
export { Clock, systemClock } from './clock.js';
export {
  MAX_TAG,
  Transport,
  type CallOptions,
  type NativeCollectives,
  type NumericArray,
  type ReduceOp,
  type TransportStats,
} from './transport.js';
export { ParamLayout, type Bucket, type LayoutEntry, type TensorSpec } from './layout.js';
export { SHARED_RANK, createRng, philox4x32, type Rng, type RngKey } from './rng.js';
export { crc32, fnv1a32, fnv1a64 } from './hash.js';
export type { EpochEvent, StepEvent, StepTimings, TrainerEvent } from './events.js';
export { Topology, type Edge, type Neighbourhood } from './kinds/topology.js';
export { Collective, type AllreduceOptions, type CollectiveOp } from './kinds/collective.js';
export { Compressor, type Aggregation, type CompressContext, type CompressTensor, type ReduceLink } from './kinds/compressor.js';
export { ErrorFeedback } from './kinds/error-feedback.js';
export { Exchange, checkExchangeRequest, type ExchangePattern, type ExchangeRequest, type ExchangeResult } from './kinds/exchange.js';
export type { StepContext } from './kinds/step-context.js';
export { SyncPolicy, type SyncOutcome } from './kinds/sync-policy.js';
export { Momentum, type BaseBufferPolicy } from './kinds/momentum.js';
export { Scheduler, type BucketPlan } from './kinds/scheduler.js';
export type { Batch, Dataset, ShardOptions } from './kinds/dataset.js';
export type { EvaluationReport, LossReport, TrainableModel } from './kinds/model.js';
