import { Capabilities, OptionError, Topology, Transport, choiceOption, knownOptions, numberOption, type PluginSpec } from '@syncopate/core';
import { checkGroups } from '../algorithms/hierarchical-allreduce.js';
import { checkLink, type LinkModel } from '../cost-model.js';
import { TransportCollective } from '../transport-collective.js';
import { BASE_CAPABILITIES, collectiveSpec } from './collective-spec.js';

/** Options of {@link hierarchicalAllreduce}. */
export interface HierarchicalAllreduceOptions {
  /**
   * Ranks per group (host), consecutive; must divide the number of ranks. Without it the groups
   * come from the composition's topology (e.g. `hierarchical({ localSize })`).
   */
  readonly localSize?: number;
  /** Allreduce among group leaders: `auto` (cost model, default), `ring`, `recursive-doubling` or `binary-tree`. */
  readonly inter?: 'auto' | 'ring' | 'recursive-doubling' | 'binary-tree';
  /** The link the cost model assumes for `inter: 'auto'`. */
  readonly link?: Partial<LinkModel>;
}

/**
 * Hierarchical allreduce: reduce inside each group (host) to its first rank, allreduce among the
 * leaders, broadcast inside each group — only one rank per host uses the slow network (Jia et
 * al., "Highly Scalable Deep Learning Training System with Mixed-Precision: Training ImageNet in
 * Four Minutes", 2018; §IV-B of Tang et al. 2020). Gives the same sums as a flat allreduce, up to
 * float rounding order.
 *
 * @example
 * ```ts
 * plugins: [hierarchicalAllreduce({ localSize: 4, inter: 'ring' })]
 * ```
 */
export function hierarchicalAllreduce(options: HierarchicalAllreduceOptions = {}): PluginSpec<HierarchicalAllreduceOptions & { link: LinkModel }> {
  knownOptions('hierarchicalAllreduce', options, ['localSize', 'inter', 'link']);
  const localSize = options.localSize === undefined ? undefined : numberOption('hierarchicalAllreduce', 'localSize', options.localSize, { min: 1, integer: true });
  const inter = choiceOption('hierarchicalAllreduce', 'inter', options.inter, ['auto', 'ring', 'recursive-doubling', 'binary-tree'] as const, 'auto');
  const link = checkLink('hierarchicalAllreduce', options.link);
  return collectiveSpec({
    name: 'hierarchicalAllreduce',
    options: { ...(localSize === undefined ? {} : { localSize }), inter, link },
    provides: BASE_CAPABILITIES,
    ...(localSize === undefined
      ? { requires: [{ capability: Capabilities.groups, from: 'topology' as const, reason: 'without localSize, the groups (hosts) come from the topology' }] }
      : {}),
    create: (resolver) => {
      const transport = resolver.resolve(Transport);
      let groups: (readonly number[])[];
      if (localSize !== undefined) {
        if (transport.size % localSize !== 0) {
          throw new OptionError('hierarchicalAllreduce', 'localSize', `must divide the number of ranks ${transport.size}, got ${localSize}`);
        }
        groups = Array.from({ length: transport.size / localSize }, (_, g) => Array.from({ length: localSize }, (_, l) => g * localSize + l));
      } else {
        groups = [...resolver.resolve(Topology).groups];
      }
      checkGroups(groups, transport.size, 'hierarchicalAllreduce');
      return new TransportCollective(transport, { name: 'hierarchicalAllreduce', choice: 'hierarchical', groups, inter, link, preferNative: true });
    },
  });
}
