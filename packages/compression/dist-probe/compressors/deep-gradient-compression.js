import { OptionError, knownOptions, numberOption } from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { keptCount } from '../internal/kept-count.js';
import { selectTopK } from '../internal/select-top-k.js';
import { combineSparse, decodeSparse, encodeSparse, sparseWireBytes, valuesAt } from '../internal/sparse-payload.js';
const ID = COMPRESSOR_IDS.deepGradientCompression;
/**
 * The sparsifier of Deep Gradient Compression (Lin et al., "Deep gradient compression: reducing
 * the communication bandwidth for distributed training", ICLR 2018): exact top-k of the
 * momentum-corrected, error-accumulated buffer, with sparsity warm-up — the density falls
 * exponentially from `initialRatio` to `ratio` in `warmupStages` stages over `warmupSteps` steps
 * (the paper's 25 % → 6.25 % → 1.5625 % → 0.4 % → 0.1 % over the first epochs).
 *
 * DGC's other parts compose around it rather than living inside: momentum correction, momentum
 * factor masking and local gradient clipping are the {@link momentumCorrection} error-feedback
 * plugin (which accumulates u and v and clears both where elements were sent). The paper's
 * sampled threshold estimate is not needed: the selection here is exact and O(n).
 */
export class DeepGradientCompressor {
    options;
    name = 'deepGradientCompression';
    aggregation = 'gather';
    unbiased = false;
    contraction;
    constructor(options) {
        this.options = options;
        this.contraction = options.ratio;
    }
    /** The density in force at `step`. */
    density(step) {
        const { ratio, warmupSteps, initialRatio, warmupStages } = this.options;
        if (step >= warmupSteps)
            return ratio;
        const stage = Math.floor((step * warmupStages) / warmupSteps);
        return initialRatio * (ratio / initialRatio) ** (stage / warmupStages);
    }
    estimateRatio(length) {
        return sparseWireBytes(keptCount(this.options.ratio, length)) / (4 * Math.max(1, length));
    }
    wireBytes(input, ctx) {
        return sparseWireBytes(keptCount(this.density(ctx.step), input.length));
    }
    compress(input, ctx) {
        const k = keptCount(this.density(ctx.step), input.length);
        const indices = selectTopK(input, k, where(this.name, 'compress', ctx), ctx.step);
        return encodeSparse(ID, input.length, indices, valuesAt(input, indices));
    }
    decompress(payload, out) {
        decodeSparse(payload, ID, out, this.name);
    }
    combine(payloads, out) {
        combineSparse(payloads, ID, out, this.name);
    }
}
/**
 * Deep Gradient Compression's top-k with sparsity warm-up. Compose with
 * `momentumCorrection({ momentum, clipNorm })` for the full algorithm (and a base optimizer
 * without momentum, since the correction carries it).
 *
 * @example
 * ```ts
 * plugins: [deepGradientCompression({ ratio: 0.001, warmupSteps: 4 * stepsPerEpoch }), momentumCorrection({ momentum: 0.9 })]
 * ```
 */
export function deepGradientCompression(options = {}) {
    const name = 'deepGradientCompression';
    knownOptions(name, options, ['ratio', 'warmupSteps', 'initialRatio', 'warmupStages']);
    const ratio = numberOption(name, 'ratio', options.ratio, { above: 0, max: 1 }, 0.001);
    const resolved = {
        ratio,
        warmupSteps: numberOption(name, 'warmupSteps', options.warmupSteps, { min: 0, integer: true }, 0),
        initialRatio: numberOption(name, 'initialRatio', options.initialRatio, { above: 0, max: 1 }, Math.max(0.25, ratio)),
        warmupStages: numberOption(name, 'warmupStages', options.warmupStages, { min: 1, integer: true }, 4),
    };
    if (resolved.initialRatio < ratio) {
        throw new OptionError(name, 'initialRatio', `must be >= ratio (${ratio}) since warm-up starts denser, got ${resolved.initialRatio}`);
    }
    return compressorSpec({
        name,
        options: resolved,
        aggregation: 'gather',
        reason: 'DGC payloads are index/value pairs with a different support on every rank, so they must be gathered',
        make: () => new DeepGradientCompressor(resolved),
    });
}
//# sourceMappingURL=deep-gradient-compression.js.map