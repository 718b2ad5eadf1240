import { ErrorFeedback, type PluginSpec, type Snapshot } from '@syncopate/core';
/** Options of {@link momentumCorrection}. */
export interface MomentumCorrectionOptions {
    /** Momentum coefficient m in u ← m·u + g. Default 0.9. */
    readonly momentum?: number;
    /**
     * Global gradient-norm threshold; each rank clips its buffer to clipNorm / √size before
     * accumulating (local gradient clipping). Default: no clipping.
     */
    readonly clipNorm?: number;
    /** Clear the momentum u where elements were sent (momentum factor masking). Default true. */
    readonly factorMasking?: boolean;
}
/** {@link MomentumCorrectionOptions} with defaults filled in. */
export interface ResolvedMomentumCorrectionOptions {
    readonly momentum: number;
    readonly clipNorm?: number;
    readonly factorMasking: boolean;
}
/**
 * The error-feedback side of Deep Gradient Compression (Lin et al., "Deep gradient compression:
 * reducing the communication bandwidth for distributed training", ICLR 2018), per buffer key:
 *
 * - local gradient clipping: g ← g · min(1, thr_local / ‖g‖₂) with thr_local = clipNorm · size^(−1/2),
 *   applied before anything is accumulated (survey Eqs. 27–28);
 * - momentum correction: u ← m·u + g, v ← v + u, and v is what gets compressed;
 * - after sending: v ← v − C(v) (the residual) and, with factor masking, u ← 0 where C(v) ≠ 0.
 *
 * It takes the place of {@link errorFeedback} in the composition (it is the residual memory),
 * and the base optimizer should then run without momentum. It also works with any sparsifier,
 * not only {@link deepGradientCompression}.
 */
export declare class MomentumCorrection implements ErrorFeedback {
    private readonly momentum;
    private readonly localClipNorm;
    private readonly factorMasking;
    readonly name = "momentumCorrection";
    private readonly velocity;
    private readonly accumulated;
    constructor(momentum: number, localClipNorm: number | undefined, factorMasking: boolean);
    compensate(key: string, x: Float32Array): void;
    update(key: string, compensated: Float32Array, transmitted: Float32Array): void;
    residual(key: string, length: number): Float32Array;
    /** The momentum u of `key` (zeros if none yet), for inspection and tests. */
    momentumOf(key: string, length: number): Float32Array;
    reset(key?: string): void;
    snapshot(): Snapshot;
    restore(snapshot: Snapshot): void;
}
/**
 * DGC's momentum correction, momentum factor masking and local gradient clipping, as the
 * composition's error-feedback plugin.
 *
 * @example
 * ```ts
 * plugins: [deepGradientCompression({ ratio: 0.001 }), momentumCorrection({ momentum: 0.9, clipNorm: 5 })]
 * ```
 */
export declare function momentumCorrection(options?: MomentumCorrectionOptions): PluginSpec<ResolvedMomentumCorrectionOptions>;
//# sourceMappingURL=momentum-correction.d.ts.map