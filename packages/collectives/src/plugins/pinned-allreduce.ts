import { Transport, knownOptions, type PluginSpec } from '@syncopate/core';
import { DEFAULT_LINK, type AllreduceAlgorithm } from '../cost-model.js';
import { TransportCollective } from '../transport-collective.js';
import { BASE_CAPABILITIES, collectiveSpec } from './collective-spec.js';

type FlatAlgorithm = Exclude<AllreduceAlgorithm, 'hierarchical'>;

/** A collective whose allreduce (and max) always runs `algorithm`; other operations prefer the transport's own. */
function pinned(name: string, algorithm: FlatAlgorithm, options: Record<string, never>): PluginSpec<Record<string, never>> {
  knownOptions(name, options, []);
  return collectiveSpec({
    name,
    options,
    provides: BASE_CAPABILITIES,
    create: (resolver) => new TransportCollective(resolver.resolve(Transport), { name, choice: algorithm, link: DEFAULT_LINK, preferNative: true }),
  });
}

/**
 * Allreduce by the ring: reduce-scatter then allgather around a ring of ranks, bandwidth-optimal
 * at 2(n − 1)/n of the buffer sent per rank (Patarasuk & Yuan, "Bandwidth optimal all-reduce
 * algorithms for clusters of workstations", JPDC 2009; popularised for deep learning by Baidu and
 * Horovod). Best for large buffers.
 *
 * @example
 * ```ts
 * plugins: [ringAllreduce()]
 * ```
 */
export function ringAllreduce(options: Record<string, never> = {}): PluginSpec<Record<string, never>> {
  return pinned('ringAllreduce', 'ring', options);
}

/**
 * Allreduce by recursive doubling: log₂ n rounds of pairwise whole-buffer swaps (Thakur,
 * Rabenseifner & Gropp, "Optimization of Collective Communication Operations in MPICH", 2005).
 * Fewest messages; best for small buffers.
 */
export function recursiveDoublingAllreduce(options: Record<string, never> = {}): PluginSpec<Record<string, never>> {
  return pinned('recursiveDoublingAllreduce', 'recursive-doubling', options);
}

/**
 * Allreduce by a binary tree: reduce to rank 0 up a heap-ordered binary tree, broadcast back down
 * (Table III of Tang et al., "Communication-Efficient Distributed Deep Learning: A Comprehensive
 * Survey", 2020).
 */
export function binaryTreeAllreduce(options: Record<string, never> = {}): PluginSpec<Record<string, never>> {
  return pinned('binaryTreeAllreduce', 'binary-tree', options);
}
