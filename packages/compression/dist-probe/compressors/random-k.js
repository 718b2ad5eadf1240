import { booleanOption, knownOptions, numberOption, } from '@syncopate/core';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { assertFinite } from '../internal/finite.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, floatsAt, openPayload, sealPayload } from '../internal/payload.js';
import { randomStream } from '../internal/random-stream.js';
import { sampleIndices } from '../internal/sample-indices.js';
import { combineSparse, decodeSparse, encodeSparse, sparseWireBytes, valuesAt } from '../internal/sparse-payload.js';
import { keptCount } from '../internal/kept-count.js';
/**
 * Random-k sparsification (Stich et al., "Sparsified SGD with memory", NeurIPS 2018; Konečný
 * et al., "Federated learning: strategies for improving communication efficiency", 2016): keep k
 * uniformly chosen elements. Unscaled it satisfies E‖C(x) − x‖² = (1 − k/d)‖x‖²; scaled by d/k it
 * is unbiased. With a shared mask ("created by the server and then distributed", survey §VI-A)
 * every rank keeps the same indices, so the values alone are allreduced.
 */
export class RandomKCompressor {
    options;
    name = 'randomK';
    aggregation;
    unbiased;
    contraction;
    id;
    constructor(options) {
        this.options = options;
        this.aggregation = options.sharedMask ? 'sum' : 'gather';
        this.unbiased = options.rescale;
        this.contraction = options.rescale ? undefined : options.ratio;
        this.id = options.sharedMask ? COMPRESSOR_IDS.randomKSharedMask : COMPRESSOR_IDS.randomK;
    }
    estimateRatio(length) {
        return this.bytes(length) / (4 * Math.max(1, length));
    }
    wireBytes(input) {
        return this.bytes(input.length);
    }
    bytes(length) {
        const k = keptCount(this.options.ratio, length);
        return this.options.sharedMask ? HEADER_BYTES + 4 * k : sparseWireBytes(k);
    }
    /** The mask of this (step, key): shared by all ranks, or this rank's own. */
    mask(length, ctx) {
        const source = this.options.sharedMask ? ctx.sharedRng : ctx.rng;
        return sampleIndices(randomStream(source, 'randomK'), length, keptCount(this.options.ratio, length));
    }
    scale(length, k) {
        return this.options.rescale ? length / k : 1;
    }
    compress(input, ctx) {
        assertFinite(input, where('randomK', 'compress', ctx), ctx.step);
        const n = input.length;
        const indices = this.mask(n, ctx);
        const values = valuesAt(input, indices, this.scale(n, indices.length));
        if (!this.options.sharedMask)
            return encodeSparse(this.id, n, indices, values);
        const payload = createPayload(this.id, n, 4 * values.length);
        floatsAt(bodyOf(payload), 0, values.length).set(values);
        return sealPayload(payload);
    }
    decompress(payload, out, ctx) {
        if (!this.options.sharedMask)
            return decodeSparse(payload, this.id, out, 'randomK');
        const indices = this.mask(out.length, ctx);
        const values = this.openValues(payload, out.length, indices.length);
        out.fill(0);
        for (let j = 0; j < indices.length; j++)
            out[indices[j]] = values[j];
    }
    combine(payloads, out, ctx) {
        if (!this.options.sharedMask)
            return combineSparse(payloads, this.id, out, 'randomK');
        const indices = this.mask(out.length, ctx);
        const sums = new Float32Array(indices.length);
        for (const payload of payloads) {
            const values = this.openValues(payload, out.length, indices.length);
            for (let j = 0; j < sums.length; j++)
                sums[j] += values[j];
        }
        out.fill(0);
        for (let j = 0; j < indices.length; j++)
            out[indices[j]] = sums[j];
    }
    async reduce(input, out, local, ctx, link) {
        assertFinite(input, where('randomK', 'reduce', ctx), ctx.step);
        const indices = this.mask(input.length, ctx);
        const values = valuesAt(input, indices, this.scale(input.length, indices.length));
        local.fill(0);
        for (let j = 0; j < indices.length; j++)
            local[indices[j]] = values[j];
        if (this.options.sharedMask) {
            await link.allreduce(values);
            out.fill(0);
            for (let j = 0; j < indices.length; j++)
                out[indices[j]] = values[j];
            return;
        }
        this.combine(await link.allgather(this.compress(input, ctx)), out, ctx);
    }
    openValues(payload, n, k) {
        const body = openPayload(payload, this.id, n, 'randomK');
        expectBodyLength(body, 4 * k, 'randomK', `${k} shared-mask values`);
        return floatsAt(body, 0, k);
    }
}
/**
 * Random-k sparsification, with a private or a shared (allreduce-able) mask.
 *
 * @example
 * ```ts
 * plugins: [randomK({ ratio: 0.01, sharedMask: true }), errorFeedback()]
 * ```
 */
export function randomK(options = {}) {
    knownOptions('randomK', options, ['ratio', 'sharedMask', 'rescale']);
    const resolved = {
        ratio: numberOption('randomK', 'ratio', options.ratio, { above: 0, max: 1 }, 0.01),
        sharedMask: booleanOption('randomK', 'sharedMask', options.sharedMask, false),
        rescale: booleanOption('randomK', 'rescale', options.rescale, false),
    };
    return compressorSpec({
        name: 'randomK',
        options: resolved,
        aggregation: resolved.sharedMask ? 'sum' : 'gather',
        reason: resolved.sharedMask
            ? 'shared-mask Random-k sums the k kept values across ranks'
            : 'each rank keeps different indices, so index/value pairs are gathered',
        make: () => new RandomKCompressor(resolved),
    });
}
//# sourceMappingURL=random-k.js.map