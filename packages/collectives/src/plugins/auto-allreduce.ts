import { Transport, knownOptions, type PluginSpec } from '@syncopate/core';
import { checkLink, type LinkModel } from '../cost-model.js';
import { TransportCollective } from '../transport-collective.js';
import { BASE_CAPABILITIES, collectiveSpec } from './collective-spec.js';

/** Options of {@link autoAllreduce}. */
export interface AutoAllreduceOptions {
  /** The link the α-β model assumes. Default 50 µs, 10 Gbit/s. */
  readonly link?: Partial<LinkModel>;
}

/**
 * Point-to-point allreduce whose algorithm is picked per call by the α-β cost model
 * (`chooseAllreduce`): recursive doubling for small buffers, the ring for large ones, by the
 * formulas of Table III of Tang et al. (2020) for the given link. Ignores the transport's native
 * allreduce; use {@link nativeCollective} to prefer it.
 *
 * @example
 * ```ts
 * plugins: [autoAllreduce({ link: { latencyMs: 0.2, bandwidthGbps: 1 } })]
 * ```
 */
export function autoAllreduce(options: AutoAllreduceOptions = {}): PluginSpec<{ link: LinkModel }> {
  knownOptions('autoAllreduce', options, ['link']);
  const link = checkLink('autoAllreduce', options.link);
  return collectiveSpec({
    name: 'autoAllreduce',
    options: { link },
    provides: BASE_CAPABILITIES,
    create: (resolver) => new TransportCollective(resolver.resolve(Transport), { name: 'autoAllreduce', choice: 'auto', link, preferNative: true }),
  });
}
