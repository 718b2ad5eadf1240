import { Capabilities, Compressor, type Aggregation, type PluginSpec, type Requirement, type Resolver } from '@syncopate/core';
import { ERROR_FEEDBACK_CAPABILITY } from '../capabilities.js';

/** How a compressor's spec is described. */
export interface CompressorSpecParts<Options> {
  readonly name: string;
  readonly options: Options;
  readonly aggregation: Aggregation;
  /**
   * Collective abilities the compressor uses: `allreduce` for dense sums inside `reduce`,
   * `allgather` for gathered payloads. Defaults from `aggregation`.
   */
  readonly uses?: readonly ('allreduce' | 'allgather')[];
  /** Why its payloads travel the way they do, for the composition error. */
  readonly reason: string;
  /** The algorithm does not converge without error feedback (EF-signSGD, 1-bit SGD, PowerSGD). */
  readonly needsErrorFeedback?: boolean;
  /** Capabilities this compressor offers (identity: payloads gossip can mix). */
  readonly provides?: readonly string[];
  readonly make: (resolver: Resolver) => Compressor;
}

/** The frozen `PluginSpec` of a compressor, with its requirements filled in from its aggregation. */
export function compressorSpec<Options>(parts: CompressorSpecParts<Options>): PluginSpec<Options> {
  const uses = parts.uses ?? (parts.aggregation === 'sum' ? ['allreduce'] : ['allgather']);
  const requires: Requirement[] = uses.map((use) => ({
    capability: use === 'allreduce' ? Capabilities.allreduce : Capabilities.allgather,
    from: 'collective',
    reason: parts.reason,
  }));
  if (parts.needsErrorFeedback) {
    requires.push({
      capability: ERROR_FEEDBACK_CAPABILITY,
      from: 'error-feedback',
      reason: `${parts.name} only converges when what it drops is fed back (add errorFeedback())`,
    });
  }
  const spec: PluginSpec<Options> = {
    kind: 'compressor',
    name: parts.name,
    options: Object.freeze(parts.options),
    requires: Object.freeze(requires.map((r) => Object.freeze(r))),
    ...(parts.provides && { provides: Object.freeze([...parts.provides]) }),
    register(registrar) {
      registrar.register(Compressor, { useFactory: parts.make });
    },
  };
  return Object.freeze(spec);
}
