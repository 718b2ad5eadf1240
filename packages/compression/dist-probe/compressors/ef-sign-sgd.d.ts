import { type PluginSpec } from '@syncopate/core';
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
export declare function efSignSgd(options?: EfSignSgdOptions): PluginSpec<EfSignSgdOptions>;
//# sourceMappingURL=ef-sign-sgd.d.ts.map