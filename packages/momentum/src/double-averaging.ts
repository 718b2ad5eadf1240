import { Momentum, knownOptions, type PluginSpec } from '@syncopate/core';
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
 * momentum SGD (and triples them for Adam). Stateless.
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
    register(registrar) {
      registrar.register(Momentum, { useFactory: () => new BaseBufferOnly(NAME, 'average') });
    },
  };
  return Object.freeze(spec);
}
