import { knownOptions, type PluginSpec } from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { ScaledSignCompressor } from './scaled-sign.js';

/** Options of {@link efSignSgd}: none. */
export type EfSignSgdOptions = Record<string, never>;

/**
 * EF-signSGD (Karimireddy et al., "Error feedback fixes SignSGD and other gradient compression
 * schemes", ICML 2019): the scaled sign (‖p‖₁/d) · sign(p) of the error-compensated buffer
 * p = x + e, with e ← p − C(p) kept by the error-feedback plugin. The spec requires an
 * error-feedback plugin, so a composition without one is refused at build time.
 *
 * @example
 * ```ts
 * plugins: [efSignSgd(), errorFeedback()]
 * ```
 */
export function efSignSgd(options: EfSignSgdOptions = {}): PluginSpec<EfSignSgdOptions> {
  knownOptions('efSignSgd', options, []);
  return compressorSpec({
    name: 'efSignSgd',
    options: {},
    aggregation: 'gather',
    reason: 'each rank scales its signs by its own mean magnitude, so payloads are gathered and decoded',
    needsErrorFeedback: true,
    make: () => new ScaledSignCompressor('efSignSgd', COMPRESSOR_IDS.efSignSgd),
  });
}
