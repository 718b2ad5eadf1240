/**
 * @packageDocumentation
 * Syncopate sync-policy plugins: when ranks synchronise and what they exchange. Policies move
 * tensors only through core's `Exchange`, so every compressor composes with every policy.
 */
export { BulkSynchronousParallel, bsp } from './bsp.js';
export { LocalSgd, localSgd, type LocalSgdOptions } from './local-sgd.js';
export { PostLocalSgd, postLocalSgd, type PostLocalSgdOptions, type ResolvedPostLocalSgdOptions } from './post-local-sgd.js';
export { DecentralizedSgd, decentralizedSgd, type DecentralizedSgdOptions } from './decentralized-sgd.js';
export { StochasticGradientPush, stochasticGradientPush, type StochasticGradientPushOptions } from './stochastic-gradient-push.js';
export { AdaptivePeriod, adaptivePeriod, type AdaptivePeriodOptions } from './adaptive-period.js';
export { HierarchicalParallelSgd, hierarchicalParallelSgd, type HierarchicalParallelSgdOptions } from './hierarchical-parallel-sgd.js';
export { OverlapLocalSgd, overlapLocalSgd, type OverlapLocalSgdOptions } from './overlap-local-sgd.js';
export { staleSynchronous, type StaleSynchronousOptions } from './stale-synchronous.js';
export { asynchronousParameterServer, type AsynchronousParameterServerOptions } from './asynchronous-parameter-server.js';
export { backupWorkers, type BackupWorkersOptions } from './backup-workers.js';
export { ParameterServerPolicy, type UpdateRuleFactory } from './parameter-server/parameter-server-policy.js';
export type { ServerLayout, Shard } from './parameter-server/shards.js';
export type { ShardState, UpdateRule } from './parameter-server/update-rule.js';
export { allRanksAgree } from './rank-agreement.js';
export { SYNC_POLICY_TAGS } from './tags.js';
