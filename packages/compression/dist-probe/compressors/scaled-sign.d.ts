import { type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
/**
 * Scaled sign: C(x) = (‖x‖₁ / d) · sign(x), one bit per element plus one float. The sign of
 * signSGD (Bernstein et al., "signSGD: compressed optimisation for non-convex problems",
 * ICML 2018) carries no magnitude; scaling by the mean magnitude, as EF-signSGD does
 * (Karimireddy et al., "Error feedback fixes SignSGD and other gradient compression schemes",
 * ICML 2019), keeps the update's size, and makes C a δ-compressor with
 * δ = ‖x‖₁² / (d‖x‖₂²) ≥ 1/d. sign(0) is taken as +1.
 */
export declare class ScaledSignCompressor implements Compressor {
    readonly name: 'scaledSign' | 'efSignSgd';
    private readonly id;
    readonly aggregation = "gather";
    readonly unbiased = false;
    constructor(name: 'scaledSign' | 'efSignSgd', id: number);
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array): void;
}
/** Options of {@link scaledSign}: none. */
export type ScaledSignOptions = Record<string, never>;
/**
 * signSGD's sign, scaled by the mean magnitude: 1 bit per element. Biased; pair it with
 * `errorFeedback()` (that pairing is {@link efSignSgd}) or accept signSGD's bias.
 *
 * @example
 * ```ts
 * plugins: [scaledSign()]
 * ```
 */
export declare function scaledSign(options?: ScaledSignOptions): PluginSpec<ScaledSignOptions>;
//# sourceMappingURL=scaled-sign.d.ts.map