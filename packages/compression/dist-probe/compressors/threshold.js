import { knownOptions, numberOption } from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { throwNonFinite } from '../internal/finite.js';
import { combineSparse, decodeSparse, encodeSparse, sparseWireBytes, valuesAt } from '../internal/sparse-payload.js';
const ID = COMPRESSOR_IDS.threshold;
/**
 * Threshold sparsification (Strom, "Scalable distributed DNN training using commodity GPU cloud
 * computing", Interspeech 2015): send every element whose magnitude reaches a fixed threshold τ
 * as an index/value pair. The payload size varies with the data (`wireBytes` counts it exactly;
 * `estimateRatio` can only assume `expectedDensity`). With error feedback the residual grows until
 * it crosses τ, so many elements may be sent (the survey's warning in §VI-B-1).
 */
export class ThresholdCompressor {
    options;
    name = 'threshold';
    aggregation = 'gather';
    unbiased = false;
    constructor(options) {
        this.options = options;
    }
    estimateRatio(length) {
        return sparseWireBytes(Math.ceil(this.options.expectedDensity * length)) / (4 * Math.max(1, length));
    }
    wireBytes(input, ctx) {
        return sparseWireBytes(this.count(input, ctx));
    }
    count(input, ctx) {
        const tau = this.options.threshold;
        let kept = 0;
        let probe = 0;
        for (let i = 0; i < input.length; i++) {
            const x = input[i];
            probe += x * 0;
            if (x >= tau || x <= -tau)
                kept++;
        }
        if (probe !== 0)
            throwNonFinite(input, where('threshold', 'compress', ctx), ctx.step);
        return kept;
    }
    compress(input, ctx) {
        const tau = this.options.threshold;
        const indices = new Uint32Array(this.count(input, ctx));
        let j = 0;
        for (let i = 0; i < input.length; i++) {
            const x = input[i];
            if (x >= tau || x <= -tau)
                indices[j++] = i;
        }
        return encodeSparse(ID, input.length, indices, valuesAt(input, indices));
    }
    decompress(payload, out) {
        decodeSparse(payload, ID, out, 'threshold');
    }
    combine(payloads, out) {
        combineSparse(payloads, ID, out, 'threshold');
    }
}
/**
 * Fixed-threshold sparsification: send the elements with |x| ≥ `threshold`.
 *
 * @example
 * ```ts
 * plugins: [threshold({ threshold: 1e-3 }), errorFeedback()]
 * ```
 */
export function threshold(options = {}) {
    knownOptions('threshold', options, ['threshold', 'expectedDensity']);
    const resolved = {
        threshold: numberOption('threshold', 'threshold', options.threshold, { above: 0 }),
        expectedDensity: numberOption('threshold', 'expectedDensity', options.expectedDensity, { above: 0, max: 1 }, 0.01),
    };
    return compressorSpec({
        name: 'threshold',
        options: resolved,
        aggregation: 'gather',
        reason: 'threshold payloads are index/value pairs with a different support on every rank, so they must be gathered',
        make: () => new ThresholdCompressor(resolved),
    });
}
//# sourceMappingURL=threshold.js.map