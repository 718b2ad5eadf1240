import { Capabilities, Momentum, knownOptions, type PluginSpec } from '@syncopate/core';
import { BaseBufferOnly } from './base-buffer-policy.js';

const NAME = 'doubleAveraging';

/** Options of {@link doubleAveraging}: none. */
export type DoubleAveragingOptions = Record<string, never>;

/**
 * Double averaging (Yu, Jin & Yang, "On the linear speedup analysis of communication efficient
 * momentum SGD for distributed non-convex optimization", ICML 2019; named so in the SlowMo paper):
 * local momentum SGD in which every synchronisation averages the momentum buffers as well as the
 * parameters. With local SGD of period τ, on every rank i:
 *
 *   vᵢ ← μ·vᵢ + gᵢ,   xᵢ ← xᵢ − γ·vᵢ,   and when (t + 1) mod τ = 0:   xᵢ ← mean(x),  vᵢ ← mean(v).
 *
 * The policy averages x; this plugin makes the trainer average every base-optimizer buffer right
 * after (the `average` base-buffer policy), uncompressed, which doubles the bytes of each sync for
 * momentum SGD (and triples them for Adam). Stateless. Needs a policy that averages the parameters
 * exactly at its syncs (`Capabilities.exactAverage`); `createTrainer` refuses the others.
 *
 * @example
 * ```ts
 * plugins: [localSgd({ period: 8 }), doubleAveraging()],
 * optimizer: momentumSgd({ momentum: 0.9 }),
 * ```
 */
export function doubleAveraging(options: DoubleAveragingOptions = {}): PluginSpec<DoubleAveragingOptions> {
  knownOptions(NAME, options, []);
  const spec: PluginSpec<DoubleAveragingOptions> = {
    kind: 'momentum',
    name: NAME,
    options: Object.freeze({}),
    requires: Object.freeze([
      Object.freeze({
        capability: Capabilities.exactAverage,
        from: 'sync-policy' as const,
        reason: 'double averaging averages the momentum buffers together with an exact average of the parameters at every sync (periodic policies such as localSgd)',
      }),
    ]),
    register(registrar) {
      registrar.register(Momentum, { useFactory: () => new BaseBufferOnly(NAME, 'average') });
    },
  };
  return Object.freeze(spec);
}
