import { ErrorFeedback, type PluginSpec, type Snapshot } from '@syncopate/core';
/**
 * Error feedback with a residual memory per buffer key, usable with any compressor.
 *
 * Before compressing, the exchange adds what earlier rounds dropped: p = x + e. After, it keeps
 * what this round dropped: e ← p − C(p), where C(p) is what was actually transmitted. Everything
 * fed in is eventually sent, only later (Seide et al., "1-bit stochastic gradient descent and
 * its application to data-parallel distributed training of speech DNNs", Interspeech 2014;
 * Karimireddy et al., "Error feedback fixes SignSGD and other gradient compression schemes",
 * ICML 2019). The carried-in residual is part of the new one, correcting the survey's Eq. (11).
 */
export declare class ResidualErrorFeedback implements ErrorFeedback {
    readonly name = "errorFeedback";
    private readonly memory;
    compensate(key: string, x: Float32Array): void;
    update(key: string, compensated: Float32Array, transmitted: Float32Array): void;
    residual(key: string, length: number): Float32Array;
    reset(key?: string): void;
    snapshot(): Snapshot;
    restore(snapshot: Snapshot): void;
}
/** Options of {@link errorFeedback}: none. */
export type ErrorFeedbackOptions = Record<string, never>;
/**
 * The error-feedback plugin: a residual memory per buffer key that composes with every
 * compressor (and is required by EF-signSGD, 1-bit SGD and PowerSGD).
 *
 * @example
 * ```ts
 * plugins: [topK({ ratio: 0.01 }), errorFeedback()]
 * ```
 */
export declare function errorFeedback(options?: ErrorFeedbackOptions): PluginSpec<ErrorFeedbackOptions>;
//# sourceMappingURL=error-feedback.d.ts.map