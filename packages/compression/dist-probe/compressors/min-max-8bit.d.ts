import { type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
/** Options of {@link minMax8Bit}. */
export interface MinMax8BitOptions {
    /** Elements per block; each block stores its own minimum and maximum. Default 2048. */
    readonly blockSize?: number;
    /**
     * `nearest` (default) rounds to the closest of the 256 levels (biased, like PyTorch's
     * per-tensor quantisation hook); `stochastic` rounds up with probability equal to the
     * fractional part, which makes the compressor unbiased.
     */
    readonly rounding?: 'nearest' | 'stochastic';
}
/**
 * 8-bit min-max (affine) quantisation: each block of `blockSize` elements keeps its minimum m and
 * maximum M as float32 and every element becomes the byte q = round(255 · (x − m) / (M − m)),
 * decoded as m + q · (M − m) / 255. The error per element is at most half a level,
 * (M − m) / 510, with `nearest` rounding (Dettmers, "8-bit approximations for parallelism in
 * deep learning", ICLR 2016; PyTorch's `quantization_hooks`).
 */
export declare class MinMax8BitCompressor implements Compressor {
    private readonly options;
    readonly name = "minMax8Bit";
    readonly aggregation = "gather";
    readonly unbiased: boolean;
    constructor(options: Required<MinMax8BitOptions>);
    private blocks;
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array): void;
}
/**
 * 8-bit min-max quantisation per block: one byte per element plus two floats per block.
 *
 * @example
 * ```ts
 * plugins: [minMax8Bit({ blockSize: 4096, rounding: 'stochastic' })]
 * ```
 */
export declare function minMax8Bit(options?: MinMax8BitOptions): PluginSpec<Required<MinMax8BitOptions>>;
//# sourceMappingURL=min-max-8bit.d.ts.map