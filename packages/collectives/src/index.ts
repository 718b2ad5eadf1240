/**
 * @packageDocumentation
 * Collective communication for Syncopate: allreduce (the transport's native one, ring, recursive
 * doubling, binary tree, hierarchical, or the α-β cost model's pick), allgather(v), broadcast,
 * reduce-scatter, neighbour averaging and push-sum over a topology, sparse aggregation and
 * gTop-k, majority vote and max. Calls run one at a time in call order; a returned Promise
 * awaited later is the non-blocking form.
 *
 * Internal messages use the reserved tags {@link COLLECTIVE_TAGS} (32000–32767).
 */
export { nativeCollective, type NativeCollectiveOptions } from './plugins/native-collective.js';
export { ringAllreduce, recursiveDoublingAllreduce, binaryTreeAllreduce } from './plugins/pinned-allreduce.js';
export { hierarchicalAllreduce, type HierarchicalAllreduceOptions } from './plugins/hierarchical-allreduce.js';
export { autoAllreduce, type AutoAllreduceOptions } from './plugins/auto-allreduce.js';
export { neighbourAverage, pushSum, type GossipOptions } from './plugins/gossip.js';
export { BASE_CAPABILITIES, collectiveSpec } from './plugins/collective-spec.js';
export { TransportCollective, type TransportCollectiveConfig } from './transport-collective.js';
export { CollectiveQueue } from './collective-queue.js';
export { ALLREDUCE_CHOICES, resolveAllreduce, runAllreduce, type AllreduceChoice, type AllreducePlan } from './allreduce-dispatch.js';
export {
  DEFAULT_LINK,
  checkLink,
  chooseAllreduce,
  estimateTime,
  type AllreduceAlgorithm,
  type CostedOperation,
  type LinkModel,
} from './cost-model.js';
export { decodeSparse, encodeSparse, mergeSparse, sparseTopK, toDense, type SparseVector } from './algorithms/sparse-vector.js';
export { subgroupLink, type PeerLink } from './peer-link.js';
export { evenBlocks, type Block } from './blocks.js';
export { COLLECTIVE_TAGS } from './tags.js';
export * as algorithms from './algorithms/index.js';
