import { Compressor, type Aggregation, type PluginSpec, type Resolver } from '@syncopate/core';
/** How a compressor's spec is described. */
export interface CompressorSpecParts<Options> {
    readonly name: string;
    readonly options: Options;
    readonly aggregation: Aggregation;
    /**
     * Collective abilities the compressor uses: `allreduce` for dense sums inside `reduce`,
     * `allgather` for gathered payloads. Defaults from `aggregation`.
     */
    readonly uses?: readonly ('allreduce' | 'allgather')[];
    /** Why its payloads travel the way they do, for the composition error. */
    readonly reason: string;
    /** The algorithm does not converge without error feedback (EF-signSGD, 1-bit SGD, PowerSGD). */
    readonly needsErrorFeedback?: boolean;
    readonly make: (resolver: Resolver) => Compressor;
}
/** The frozen `PluginSpec` of a compressor, with its requirements filled in from its aggregation. */
export declare function compressorSpec<Options>(parts: CompressorSpecParts<Options>): PluginSpec<Options>;
//# sourceMappingURL=compressor-spec.d.ts.map