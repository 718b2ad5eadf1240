import { Compressor, OptionError, PayloadError, formatValue, knownOptions, numberOption, } from '@syncopate/core';
import { expectFormat } from '../internal/keyed-buffers.js';
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
export class PerBucketCompressor {
    rules;
    inner;
    name = 'perBucket';
    aggregation;
    unbiased;
    contraction;
    constructor(rules, inner) {
        this.rules = rules;
        this.inner = inner;
        const aggregations = new Set(inner.map((c) => c.aggregation));
        this.aggregation = aggregations.size === 1 ? inner[0].aggregation : 'sum';
        this.unbiased = inner.every((c) => c.unbiased);
        const contractions = inner.map((c) => c.contraction);
        this.contraction = contractions.every((c) => c !== undefined) ? Math.min(...contractions) : undefined;
    }
    /** The compressor for a buffer of `length` elements under `key` (`undefined`: match by length only). */
    pick(length, key) {
        for (let r = 0; r < this.rules.length; r++) {
            const rule = this.rules[r];
            if (length > rule.maxLength || length < rule.minLength)
                continue;
            if (rule.pattern && (key === undefined || !rule.pattern.test(key)))
                continue;
            return this.inner[r];
        }
        return this.inner[this.inner.length - 1];
    }
    /** By length only: rules with a key pattern are skipped, since no key is known. */
    estimateRatio(length) {
        return this.pick(length, undefined).estimateRatio(length);
    }
    wireBytes(input, ctx) {
        return this.pick(input.length, ctx.key).wireBytes(input, ctx);
    }
    compress(input, ctx) {
        return this.pick(input.length, ctx.key).compress(input, ctx);
    }
    decompress(payload, out, ctx) {
        this.pick(out.length, ctx.key).decompress(payload, out, ctx);
    }
    combine(payloads, out, ctx) {
        sumOrCombine(this.pick(out.length, ctx.key), payloads, out, ctx);
    }
    async reduce(input, out, local, ctx, link) {
        const chosen = this.pick(input.length, ctx.key);
        if (chosen.aggregation === 'sum') {
            if (!chosen.reduce)
                throw new PayloadError(`perBucket: '${chosen.name}' declares sum aggregation but has no reduce`);
            return chosen.reduce(input, out, local, ctx, link);
        }
        const payload = chosen.compress(input, ctx);
        chosen.decompress(payload, local, ctx);
        sumOrCombine(chosen, await link.allgather(payload), out, ctx);
    }
    snapshot() {
        const parts = {};
        this.inner.forEach((c, i) => {
            if (c.snapshot)
                parts[String(i)] = c.snapshot();
        });
        return { format: 'perBucket/1', parts };
    }
    restore(snapshot) {
        expectFormat(snapshot, 'perBucket/1', 'perBucket');
        const parts = (snapshot.parts ?? {});
        this.inner.forEach((c, i) => {
            const part = parts[String(i)];
            if (part && c.restore)
                c.restore(part);
        });
    }
}
function sumOrCombine(compressor, payloads, out, ctx) {
    if (compressor.combine)
        return compressor.combine(payloads, out, ctx);
    out.fill(0);
    const decoded = new Float32Array(out.length);
    for (const payload of payloads) {
        compressor.decompress(payload, decoded, ctx);
        for (let i = 0; i < out.length; i++)
            out[i] += decoded[i];
    }
}
/** The compressor provider a compressor spec registers (other registrations are passed on). */
function captureCompressor(spec, registrar) {
    let provider;
    spec.register({
        register(token, p) {
            if (token.key === Compressor.key)
                provider = p;
            else
                registrar.register(token, p);
        },
    });
    if (!provider)
        throw new OptionError('perBucket', spec.name, 'did not register a Compressor');
    const found = provider;
    return (resolver) => ('useValue' in found ? found.useValue : found.useFactory(resolver));
}
function checkSpec(spec, option) {
    const s = spec;
    if (!s || typeof s !== 'object' || typeof s.register !== 'function' || s.kind !== 'compressor') {
        throw new OptionError('perBucket', option, `must be a compressor spec such as identity() or topK({ ratio: 0.01 }), got ${formatValue(spec)}`);
    }
    return s;
}
/**
 * A compressor per buffer, chosen by length and key.
 *
 * @example
 * ```ts
 * plugins: [perBucket({ rules: [{ maxLength: 4096, use: identity() }], otherwise: topK({ ratio: 0.01 }) }), errorFeedback()]
 * ```
 */
export function perBucket(options = {}) {
    knownOptions('perBucket', options, ['rules', 'otherwise']);
    const otherwise = checkSpec(options.otherwise, 'otherwise');
    const rules = options.rules ?? [];
    if (!Array.isArray(rules))
        throw new OptionError('perBucket', 'rules', `must be an array of rules, got ${formatValue(rules)}`);
    const specs = [];
    const compiled = [];
    const described = [];
    rules.forEach((rule, r) => {
        const at = `rules[${r}]`;
        knownOptions('perBucket', rule, ['maxLength', 'minLength', 'keyPattern', 'use']);
        const maxLength = numberOption('perBucket', `${at}.maxLength`, rule.maxLength, { min: 0, integer: true }, Number.MAX_SAFE_INTEGER);
        const minLength = numberOption('perBucket', `${at}.minLength`, rule.minLength, { min: 0, integer: true }, 0);
        let pattern;
        if (rule.keyPattern !== undefined) {
            if (typeof rule.keyPattern !== 'string')
                throw new OptionError('perBucket', `${at}.keyPattern`, `must be a regular expression string, got ${formatValue(rule.keyPattern)}`);
            try {
                pattern = new RegExp(rule.keyPattern);
            }
            catch (error) {
                throw new OptionError('perBucket', `${at}.keyPattern`, `is not a valid regular expression: ${error.message}`);
            }
        }
        if (rule.maxLength === undefined && rule.minLength === undefined && pattern === undefined) {
            throw new OptionError('perBucket', at, 'needs maxLength, minLength or keyPattern (a rule matching everything belongs in otherwise)');
        }
        const use = checkSpec(rule.use, `${at}.use`);
        specs.push(use);
        compiled.push({ maxLength, minLength, pattern });
        described.push({
            ...(rule.maxLength === undefined ? {} : { maxLength }),
            ...(rule.minLength === undefined ? {} : { minLength }),
            ...(rule.keyPattern === undefined ? {} : { keyPattern: rule.keyPattern }),
            use: { name: use.name, options: use.options },
        });
    });
    specs.push(otherwise);
    const requires = new Map();
    for (const spec of specs)
        for (const req of spec.requires ?? [])
            if (!requires.has(req.capability))
                requires.set(req.capability, req);
    const resolved = Object.freeze({
        rules: Object.freeze(described),
        otherwise: { name: otherwise.name, options: otherwise.options },
    });
    const spec = {
        kind: 'compressor',
        name: 'perBucket',
        options: resolved,
        requires: Object.freeze([...requires.values()]),
        register(registrar) {
            const makers = specs.map((s) => captureCompressor(s, registrar));
            registrar.register(Compressor, { useFactory: (resolver) => new PerBucketCompressor(compiled, makers.map((make) => make(resolver))) });
        },
    };
    return Object.freeze(spec);
}
//# sourceMappingURL=per-bucket.js.map