import { Transport, knownOptions, type PluginSpec } from '@syncopate/core';
import { checkLink, type LinkModel } from '../cost-model.js';
import { TransportCollective } from '../transport-collective.js';
import { BASE_CAPABILITIES, collectiveSpec } from './collective-spec.js';

/** Options of {@link nativeCollective}. */
export interface NativeCollectiveOptions {
  /** The α-β link the cost model assumes when the transport has no native allreduce. */
  readonly link?: Partial<LinkModel>;
}

/**
 * The default collective: delegates allreduce, max, allgather, broadcast and reduce-scatter to the
 * transport's own collectives (Open MPI's `MPI_Allreduce`, the local transport's shared-memory
 * ones) and builds any it lacks from point-to-point messages — allreduce by the algorithm the
 * α-β cost model rates fastest (ring, recursive doubling or binary tree). Majority vote, sparse
 * aggregation and gTop-k run on top. Calls run one at a time in call order.
 *
 * @example
 * ```ts
 * plugins: [nativeCollective(), localSgd({ period: 8 })]
 * ```
 */
export function nativeCollective(options: NativeCollectiveOptions = {}): PluginSpec<{ link: LinkModel }> {
  knownOptions('nativeCollective', options, ['link']);
  const link = checkLink('nativeCollective', options.link);
  return collectiveSpec({
    name: 'nativeCollective',
    options: { link },
    provides: BASE_CAPABILITIES,
    create: (resolver) => new TransportCollective(resolver.resolve(Transport), { name: 'nativeCollective', choice: 'native', link, preferNative: true }),
  });
}
