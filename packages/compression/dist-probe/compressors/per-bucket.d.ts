import { Compressor, type Aggregation, type CompressContext, type PluginSpec, type ReduceLink, type Snapshot } from '@syncopate/core';
/** One rule of {@link perBucket}: the buffers it matches and the compressor they use. */
export interface PerBucketRule {
    /** Matches buffers of at most this many elements. */
    readonly maxLength?: number;
    /** Matches buffers of at least this many elements. */
    readonly minLength?: number;
    /** Matches buffers whose key (e.g. `gradient/bucket-3`) matches this regular expression. */
    readonly keyPattern?: string;
    /** The compressor spec for matching buffers, e.g. `identity()`. */
    readonly use: PluginSpec;
}
/** Options of {@link perBucket}. */
export interface PerBucketOptions {
    /** Tried in order; the first rule whose every condition holds picks the compressor. */
    readonly rules?: readonly PerBucketRule[];
    /** The compressor of buffers no rule matches. Required. */
    readonly otherwise?: PluginSpec;
}
/** The serialisable form of the options (specs by name and options), for the composition hash. */
export interface ResolvedPerBucketOptions {
    readonly rules: readonly {
        maxLength?: number;
        minLength?: number;
        keyPattern?: string;
        use: {
            name: string;
            options: unknown;
        };
    }[];
    readonly otherwise: {
        name: string;
        options: unknown;
    };
}
interface CompiledRule {
    readonly maxLength: number;
    readonly minLength: number;
    readonly pattern: RegExp | undefined;
}
/**
 * Picks a compressor per buffer by its length and key — typically leaving small buckets
 * (biases, norms) uncompressed, where a header and indices would cost more than they save
 * (PyTorch PowerSGD's `min_compression_rate` and GRACE's per-tensor choices do the same).
 *
 * Every rank picks alike because the choice depends only on (length, key). When all inner
 * compressors share an aggregation, the combination has it too; otherwise it is `sum` and its
 * `reduce` runs each buffer the way its compressor needs (its own `reduce`, or an allgather and
 * `combine`). Payloads carry their compressor's id, so a payload decoded under the wrong rule is
 * refused.
 */
export declare class PerBucketCompressor implements Compressor {
    private readonly rules;
    private readonly inner;
    readonly name = "perBucket";
    readonly aggregation: Aggregation;
    readonly unbiased: boolean;
    readonly contraction: number | undefined;
    constructor(rules: readonly CompiledRule[], inner: readonly Compressor[]);
    /** The compressor for a buffer of `length` elements under `key` (`undefined`: match by length only). */
    pick(length: number, key: string | undefined): Compressor;
    /** By length only: rules with a key pattern are skipped, since no key is known. */
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array, ctx: CompressContext): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array, ctx: CompressContext): void;
    combine(payloads: readonly Uint8Array[], out: Float32Array, ctx: CompressContext): void;
    reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void>;
    snapshot(): Snapshot;
    restore(snapshot: Snapshot): void;
}
/**
 * A compressor per buffer, chosen by length and key.
 *
 * @example
 * ```ts
 * plugins: [perBucket({ rules: [{ maxLength: 4096, use: identity() }], otherwise: topK({ ratio: 0.01 }) }), errorFeedback()]
 * ```
 */
export declare function perBucket(options?: PerBucketOptions): PluginSpec<ResolvedPerBucketOptions>;
export {};
//# sourceMappingURL=per-bucket.d.ts.map