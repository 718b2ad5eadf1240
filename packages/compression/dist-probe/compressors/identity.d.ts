import { type CompressContext, type Compressor, type PluginSpec, type ReduceLink } from '@syncopate/core';
/**
 * No compression: dense float32 values. Its `reduce` is one in-place allreduce, so it costs
 * exactly what plain data-parallel SGD costs; its payload (header + raw floats) is what a
 * gathered or point-to-point exchange sends. The default compressor of every trainer.
 */
export declare class IdentityCompressor implements Compressor {
    readonly name = "identity";
    readonly aggregation = "sum";
    readonly unbiased = true;
    readonly contraction = 1;
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array): void;
    reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void>;
}
/** Options of {@link identity}: none. */
export type IdentityOptions = Record<string, never>;
/**
 * The identity compressor: buffers travel as dense float32 and are summed by allreduce.
 *
 * @example
 * ```ts
 * createTrainer({ transport, model, data, plugins: [identity()] });
 * ```
 */
export declare function identity(options?: IdentityOptions): PluginSpec<IdentityOptions>;
//# sourceMappingURL=identity.d.ts.map