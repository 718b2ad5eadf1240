import { knownOptions, numberOption } from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { keptCount } from '../internal/kept-count.js';
import { selectTopK } from '../internal/select-top-k.js';
import { combineSparse, decodeSparse, encodeSparse, sparseWireBytes, valuesAt } from '../internal/sparse-payload.js';
const ID = COMPRESSOR_IDS.topK;
/**
 * Top-k sparsification (Stich et al., "Sparsified SGD with memory", NeurIPS 2018; Aji &
 * Heafield, "Sparse communication for distributed gradient descent", EMNLP 2017): keep the k
 * elements of largest magnitude, exactly, ties broken by lower index, and send them as
 * index/value pairs. A k/d-contraction: ‖C(x) − x‖² ≤ (1 − k/d)‖x‖². Selection is a radix
 * select over the float bits (two passes, no sort). Payloads from different ranks have
 * different supports, so they are gathered and merged by scatter-add.
 */
export class TopKCompressor {
    options;
    name = 'topK';
    aggregation = 'gather';
    unbiased = false;
    contraction;
    constructor(options) {
        this.options = options;
        this.contraction = options.ratio;
    }
    estimateRatio(length) {
        return sparseWireBytes(keptCount(this.options.ratio, length)) / (4 * Math.max(1, length));
    }
    wireBytes(input) {
        return sparseWireBytes(keptCount(this.options.ratio, input.length));
    }
    compress(input, ctx) {
        const indices = selectTopK(input, keptCount(this.options.ratio, input.length), where('topK', 'compress', ctx), ctx.step);
        return encodeSparse(ID, input.length, indices, valuesAt(input, indices));
    }
    decompress(payload, out) {
        decodeSparse(payload, ID, out, 'topK');
    }
    combine(payloads, out) {
        combineSparse(payloads, ID, out, 'topK');
    }
}
/**
 * Top-k sparsification by magnitude. Biased: pair it with `errorFeedback()`.
 *
 * @example
 * ```ts
 * plugins: [topK({ ratio: 0.01 }), errorFeedback()]
 * ```
 */
export function topK(options = {}) {
    knownOptions('topK', options, ['ratio']);
    const resolved = {
        ratio: numberOption('topK', 'ratio', options.ratio, { above: 0, max: 1 }, 0.01),
    };
    return compressorSpec({
        name: 'topK',
        options: resolved,
        aggregation: 'gather',
        reason: 'top-k payloads are index/value pairs with a different support on every rank, so they must be gathered',
        make: () => new TopKCompressor(resolved),
    });
}
//# sourceMappingURL=top-k.js.map