/**
 * The point-to-point algorithms, usable on any `Transport` (or `PeerLink`) without the queue.
 * They do not serialise themselves: run one at a time per communicator.
 */
export { ringReduceScatter } from './ring-reduce-scatter.js';
export { ringAllgather } from './ring-allgather.js';
export { ringAllreduce } from './ring-allreduce.js';
export { RING_PIPELINE_DEPTH, RING_SEGMENT_BYTES, ringPipeline, ringScratch, ringTuning, segmentCount, type RingPass, type RingTuning } from './ring-pipeline.js';
export { reduceScatterSteps } from './ring-reduce-scatter.js';
export { allgatherSteps } from './ring-allgather.js';
export { recursiveDoublingAllreduce, largestPowerOfTwo } from './recursive-doubling-allreduce.js';
export { binaryTreeAllreduce, binaryTreeBroadcast, binaryTreeChildren, binaryTreeReduce } from './binary-tree.js';
export { binomialBroadcast } from './binomial-broadcast.js';
export { ringAllgatherv } from './ring-allgatherv.js';
export { hierarchicalAllreduce, checkGroups, type FlatAllreduce } from './hierarchical-allreduce.js';
export { neighbourExchange } from './neighbour-exchange.js';
export { neighbourAverage } from './neighbour-average.js';
export { pushSum, PUSH_SUM_TOLERANCE } from './push-sum.js';
export { majorityVote, packSigns, type ByteAllgather } from './majority-vote.js';
export { sparseAllgather } from './sparse-allgather.js';
export { globalTopK } from './global-top-k.js';
