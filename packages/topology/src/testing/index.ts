/**
 * Test helpers for @syncopate/topology: every built-in topology, for suites that must hold on
 * all of them (consistency, stochasticity, determinism).
 */
import { complete } from '../complete.js';
import { exponentialGraph } from '../exponential-graph.js';
import { hierarchical } from '../hierarchical.js';
import { onePeerExponentialGraph } from '../one-peer-exponential-graph.js';
import { randomMatchings } from '../random-matchings.js';
import { ring } from '../ring.js';
import { star } from '../star.js';
import type { TopologySpec } from '../topology-spec.js';
import { torus2d } from '../torus2d.js';

/**
 * One spec of every built-in topology that fits `size` ranks (hierarchical only when `size` is
 * even, with two ranks per node), with the weights each declares.
 */
export function everyTopology(size: number): TopologySpec<unknown>[] {
  const specs: TopologySpec<unknown>[] = [
    complete(),
    ring(),
    torus2d(),
    star(),
    star({ weights: 'uniform' }),
    exponentialGraph(),
    onePeerExponentialGraph(),
    randomMatchings({ seed: 3 }),
  ];
  if (size % 2 === 0) specs.push(hierarchical({ localSize: 2 }), hierarchical({ localSize: 2, between: 'ring', weights: 'uniform' }));
  return specs;
}
