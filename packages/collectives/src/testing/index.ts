/**
 * Test helpers for @syncopate/collectives: the per-rank property suite that every transport can
 * run (simulated ranks, worker threads, MPI), and topologies from explicit mixing matrices.
 */
export { runCollectiveProperties } from './run-properties.js';
export { collectiveProperties, propertyLengths, seededInput, testGroupings, type CollectiveProperty } from './collective-properties.js';
export { PropertyViolation, check, sameBits } from './check.js';
export {
  matrixTopology,
  randomColumnStochastic,
  randomDoublyStochastic,
  randomPermutation,
  type DenseMatrix,
} from './matrix-topology.js';
