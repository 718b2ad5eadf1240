import { PayloadError, booleanOption, knownOptions, numberOption, } from '@syncopate/core';
import { KeyedBuffers, expectFormat } from '../internal/keyed-buffers.js';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { assertFinite } from '../internal/finite.js';
import { matrixShape, multiply, multiplyTransposed, orthonormalise, reconstruct } from '../internal/low-rank.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, floatsAt, openPayload, sealPayload, uint32sAt } from '../internal/payload.js';
import { deriveRng } from '../internal/random-stream.js';
const ID = COMPRESSOR_IDS.powerSgd;
const NAME = 'powerSgd';
const FORMAT = 'powerSgd/1';
/**
 * PowerSGD (Vogels et al., "PowerSGD: practical low-rank gradient compression for distributed
 * optimization", NeurIPS 2019): one step of subspace (power) iteration per training step.
 * The buffer is viewed as a near-square matrix M (zero-padded, as PyTorch's batched PowerSGD
 * does for a whole bucket), and with Q from the previous step (warm start) or a shared random
 * start:
 *   P ← M Q, allreduce P, orthonormalise P;  Q ← Mᵀ P, allreduce Q;  result P Qᵀ.
 * Both rounds are dense float sums of (rows + cols) · r values, so the aggregation is `sum`.
 * The rank's own share `local` = P (Mᵢᵀ P)ᵀ feeds error feedback. The allreduced Q is kept per
 * key as the next warm start and is part of `snapshot()`.
 */
export class PowerSgdCompressor {
    options;
    name = NAME;
    aggregation = 'sum';
    unbiased = false;
    warm = new KeyedBuffers(NAME);
    constructor(options) {
        this.options = options;
    }
    shape(length) {
        const { rows, cols } = matrixShape(length);
        return { rows, cols, rank: Math.min(this.options.rank, rows, cols) };
    }
    bytes(length) {
        const { rows, cols, rank } = this.shape(length);
        return HEADER_BYTES + 12 + 4 * (rows + cols) * rank;
    }
    estimateRatio(length) {
        return this.bytes(length) / (4 * Math.max(1, length));
    }
    wireBytes(input) {
        return this.bytes(input.length);
    }
    /** Q to start from: the warm start of `ctx.key`, or a standard normal draw every rank shares. */
    startingQ(cols, rank, ctx) {
        const previous = this.options.warmStart ? this.warm.find(ctx.key, cols * rank) : undefined;
        if (previous)
            return previous.slice();
        const q = new Float32Array(cols * rank);
        const rng = deriveRng(ctx.sharedRng, 'powerSgd/q');
        for (let t = 0; t < q.length; t++)
            q[t] = rng.nextNormal();
        return q;
    }
    remember(key, q) {
        if (this.options.warmStart)
            this.warm.get(key, q.length).set(q);
    }
    compress(input, ctx) {
        assertFinite(input, where(NAME, 'compress', ctx), ctx.step);
        const { rows, cols, rank } = this.shape(input.length);
        const payload = createPayload(ID, input.length, 12 + 4 * (rows + cols) * rank);
        const body = bodyOf(payload);
        uint32sAt(body, 0, 3).set([rows, cols, rank]);
        const p = floatsAt(body, 12, rows * rank);
        const q = floatsAt(body, 12 + 4 * rows * rank, cols * rank);
        multiply(input, rows, cols, this.startingQ(cols, rank, ctx), rank, p);
        orthonormalise(p, rows, rank);
        multiplyTransposed(input, rows, cols, p, rank, q);
        this.remember(ctx.key, q);
        return sealPayload(payload);
    }
    decompress(payload, out) {
        const { rows, cols, rank } = this.shape(out.length);
        const body = openPayload(payload, ID, out.length, NAME);
        expectBodyLength(body, 12 + 4 * (rows + cols) * rank, NAME, `P (${rows}×${rank}) and Q (${cols}×${rank})`);
        const dims = uint32sAt(body, 0, 3);
        if (dims[0] !== rows || dims[1] !== cols || dims[2] !== rank) {
            throw new PayloadError(`${NAME}: payload is ${dims[0]}×${dims[1]} of rank ${dims[2]}, expected ${rows}×${cols} of rank ${rank}`);
        }
        reconstruct(floatsAt(body, 12, rows * rank), floatsAt(body, 12 + 4 * rows * rank, cols * rank), rows, cols, rank, out);
    }
    async reduce(input, out, local, ctx, link) {
        assertFinite(input, where(NAME, 'reduce', ctx), ctx.step);
        const { rows, cols, rank } = this.shape(input.length);
        const p = new Float32Array(rows * rank);
        const q = new Float32Array(cols * rank);
        multiply(input, rows, cols, this.startingQ(cols, rank, ctx), rank, p);
        await link.allreduce(p);
        orthonormalise(p, rows, rank);
        multiplyTransposed(input, rows, cols, p, rank, q);
        reconstruct(p, q, rows, cols, rank, local);
        await link.allreduce(q);
        reconstruct(p, q, rows, cols, rank, out);
        this.remember(ctx.key, q);
    }
    snapshot() {
        return { format: FORMAT, warmStart: this.warm.toState() };
    }
    restore(snapshot) {
        expectFormat(snapshot, FORMAT, NAME);
        this.warm.fromState(snapshot.warmStart, 'warmStart');
    }
}
/**
 * PowerSGD: rank-r compression by one power-iteration step per round, with warm start.
 *
 * @example
 * ```ts
 * plugins: [powerSgd({ rank: 2 }), errorFeedback()]
 * ```
 */
export function powerSgd(options = {}) {
    knownOptions(NAME, options, ['rank', 'warmStart', 'errorFeedback']);
    const resolved = {
        rank: numberOption(NAME, 'rank', options.rank, { min: 1, max: 1024, integer: true }, 1),
        warmStart: booleanOption(NAME, 'warmStart', options.warmStart, true),
        errorFeedback: booleanOption(NAME, 'errorFeedback', options.errorFeedback, true),
    };
    return compressorSpec({
        name: NAME,
        options: resolved,
        aggregation: 'sum',
        reason: 'PowerSGD sums its P and Q factors across ranks with two allreduces',
        needsErrorFeedback: resolved.errorFeedback,
        make: () => new PowerSgdCompressor(resolved),
    });
}
//# sourceMappingURL=power-sgd.js.map