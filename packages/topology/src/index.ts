/**
 * @packageDocumentation
 * Who talks to whom, with which mixing weights, at each step: the complete graph, ring, 2-D
 * torus, star (parameter server), hierarchical (nodes × local ranks), the static exponential
 * graph, SGP's time-varying one-peer exponential graph and random matchings; uniform and
 * Metropolis–Hastings weights; stochasticity checks and the spectral gap.
 *
 * Every topology is a pure function of (size, options, step): all ranks compute the same graph
 * without communicating.
 */
export { complete, completeGraph } from './complete.js';
export { ring, ringGraph } from './ring.js';
export { torus2d, torusGraph, torusShape, type Torus2dOptions } from './torus2d.js';
export { star, starGraph, type StarOptions } from './star.js';
export { hierarchical, hierarchicalGraph, nodeGroups, type HierarchicalOptions } from './hierarchical.js';
export { exponentialGraph, exponentialGraphEdges, exponentialHops } from './exponential-graph.js';
export { onePeerExponentialGraph, onePeerExponentialEdges } from './one-peer-exponential-graph.js';
export { randomMatchings, randomMatchingEdges, type RandomMatchingsOptions } from './random-matchings.js';
export { GraphTopology, type GraphTopologyInit } from './graph-topology.js';
export { inNeighbours, isUndirected, normalizeGraph, type Graph } from './graph.js';
export { MIXING_WEIGHTS, mixingNeighbourhoods, type MixingWeights } from './mixing-weights.js';
export { mixingMatrix, multiply, type Matrix } from './mixing-matrix.js';
export { checkStochasticity, type Stochasticity } from './stochasticity.js';
export { consensusRate, spectralGap } from './spectral-gap.js';
export { symmetricEigenvalues } from './symmetric-eigenvalues.js';
export { topologySpec, type TopologySpec } from './topology-spec.js';
