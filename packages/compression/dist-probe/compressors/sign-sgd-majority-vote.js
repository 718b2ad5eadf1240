import { PayloadError, knownOptions } from '@syncopate/core';
import { packSigns, paddingBitsClear, signBytes, unpackSigns } from '../internal/bit-pack.js';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { assertFinite } from '../internal/finite.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, openPayload, sealPayload } from '../internal/payload.js';
const ID = COMPRESSOR_IDS.signSgdMajorityVote;
const NAME = 'signSgdMajorityVote';
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
export class MajorityVoteCompressor {
    name = NAME;
    aggregation = 'vote';
    unbiased = false;
    estimateRatio(length) {
        return (HEADER_BYTES + signBytes(length)) / (4 * Math.max(1, length));
    }
    wireBytes(input) {
        return HEADER_BYTES + signBytes(input.length);
    }
    compress(input, ctx) {
        assertFinite(input, where(NAME, 'compress', ctx), ctx.step);
        const payload = createPayload(ID, input.length, signBytes(input.length));
        packSigns(input, bodyOf(payload));
        return sealPayload(payload);
    }
    decompress(payload, out) {
        unpackSigns(this.open(payload, out.length), 1, -1, out);
    }
    combine(payloads, out) {
        const n = out.length;
        const votes = payloads.map((p) => this.open(p, n));
        const size = votes.length;
        const positives = new Uint32Array(n);
        for (const signs of votes) {
            for (let i = 0; i < n; i++)
                positives[i] += (signs[i >>> 3] >>> (i & 7)) & 1;
        }
        for (let i = 0; i < n; i++) {
            const margin = 2 * positives[i] - size;
            out[i] = margin > 0 ? size : margin < 0 ? -size : 0;
        }
    }
    open(payload, n) {
        const body = openPayload(payload, ID, n, NAME);
        expectBodyLength(body, signBytes(n), NAME, `${n} sign bits`);
        if (!paddingBitsClear(body, n))
            throw new PayloadError(`${NAME}: payload has sign bits set past its last element`);
        return body;
    }
}
/**
 * signSGD with majority vote: 1 bit per element, combined by element-wise majority.
 *
 * @example
 * ```ts
 * plugins: [signSgdMajorityVote()]
 * ```
 */
export function signSgdMajorityVote(options = {}) {
    knownOptions(NAME, options, []);
    return compressorSpec({
        name: NAME,
        options: {},
        aggregation: 'vote',
        uses: ['allgather'],
        reason: 'sign bits from every rank are gathered and combined by majority vote',
        make: () => new MajorityVoteCompressor(),
    });
}
//# sourceMappingURL=sign-sgd-majority-vote.js.map