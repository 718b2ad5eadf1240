import { type CompressContext, type Compressor, type PluginSpec } from '@syncopate/core';
/**
 * signSGD with majority vote (Bernstein et al., "signSGD with majority vote is communication
 * efficient and fault tolerant", ICLR 2019): every rank sends only sign(x), one bit per element
 * (sign(0) = +1), and the update is the element-wise majority of the ranks' signs.
 *
 * `combine` writes `size · sign(Σ signs)` (0 on a tie), i.e. `size` times the voted ±1, so the
 * exchange's mean reduction yields the voted sign; the learning rate sets the step length.
 * Payloads are bit-packed and gathered (1 bit per element per rank) rather than sent to a
 * collective `vote`, whose Int8 signs would cost 8 bits per element.
 */
export declare class MajorityVoteCompressor implements Compressor {
    readonly name = "signSgdMajorityVote";
    readonly aggregation = "vote";
    readonly unbiased = false;
    estimateRatio(length: number): number;
    wireBytes(input: Float32Array): number;
    compress(input: Float32Array, ctx: CompressContext): Uint8Array;
    decompress(payload: Uint8Array, out: Float32Array): void;
    combine(payloads: readonly Uint8Array[], out: Float32Array): void;
    private open;
}
/** Options of {@link signSgdMajorityVote}: none. */
export type SignSgdMajorityVoteOptions = Record<string, never>;
/**
 * signSGD with majority vote: 1 bit per element, combined by element-wise majority.
 *
 * @example
 * ```ts
 * plugins: [signSgdMajorityVote()]
 * ```
 */
export declare function signSgdMajorityVote(options?: SignSgdMajorityVoteOptions): PluginSpec<SignSgdMajorityVoteOptions>;
//# sourceMappingURL=sign-sgd-majority-vote.d.ts.map