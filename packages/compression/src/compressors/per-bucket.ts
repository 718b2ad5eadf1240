import {
  Compressor,
  OptionError,
  PayloadError,
  formatValue,
  knownOptions,
  numberOption,
  type Aggregation,
  type CompressContext,
  type PluginSpec,
  type Provider,
  type ReduceLink,
  type Registrar,
  type Requirement,
  type Resolver,
  type Snapshot,
  type StateValue,
  type Token,
} from '@syncopate/core';
import { expectFormat } from '../internal/keyed-buffers.js';

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
  readonly rules: readonly { maxLength?: number; minLength?: number; keyPattern?: string; use: { name: string; options: unknown } }[];
  readonly otherwise: { name: string; options: unknown };
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
export class PerBucketCompressor implements Compressor {
  readonly name = 'perBucket';
  readonly aggregation: Aggregation;
  readonly unbiased: boolean;
  readonly contraction: number | undefined;

  constructor(
    private readonly rules: readonly CompiledRule[],
    private readonly inner: readonly Compressor[],
  ) {
    const aggregations = new Set(inner.map((c) => c.aggregation));
    this.aggregation = aggregations.size === 1 ? inner[0]!.aggregation : 'sum';
    this.unbiased = inner.every((c) => c.unbiased);
    const contractions = inner.map((c) => c.contraction);
    this.contraction = contractions.every((c) => c !== undefined) ? Math.min(...(contractions as number[])) : undefined;
  }

  /** The compressor for a buffer of `length` elements under `key` (`undefined`: match by length only). */
  pick(length: number, key: string | undefined): Compressor {
    for (let r = 0; r < this.rules.length; r++) {
      const rule = this.rules[r]!;
      if (length > rule.maxLength || length < rule.minLength) continue;
      if (rule.pattern && (key === undefined || !rule.pattern.test(key))) continue;
      return this.inner[r]!;
    }
    return this.inner[this.inner.length - 1]!;
  }

  /** By length only: rules with a key pattern are skipped, since no key is known. */
  estimateRatio(length: number): number {
    return this.pick(length, undefined).estimateRatio(length);
  }

  wireBytes(input: Float32Array, ctx: CompressContext): number {
    return this.pick(input.length, ctx.key).wireBytes(input, ctx);
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    return this.pick(input.length, ctx.key).compress(input, ctx);
  }

  decompress(payload: Uint8Array, out: Float32Array, ctx: CompressContext): void {
    this.pick(out.length, ctx.key).decompress(payload, out, ctx);
  }

  combine(payloads: readonly Uint8Array[], out: Float32Array, ctx: CompressContext): void {
    sumOrCombine(this.pick(out.length, ctx.key), payloads, out, ctx);
  }

  async reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void> {
    const chosen = this.pick(input.length, ctx.key);
    if (chosen.aggregation === 'sum') {
      if (!chosen.reduce) throw new PayloadError(`perBucket: '${chosen.name}' declares sum aggregation but has no reduce`);
      return chosen.reduce(input, out, local, ctx, link);
    }
    const payload = chosen.compress(input, ctx);
    chosen.decompress(payload, local, ctx);
    sumOrCombine(chosen, await link.allgather(payload), out, ctx);
  }

  snapshot(): Snapshot {
    const parts: { [index: string]: StateValue } = {};
    this.inner.forEach((c, i) => {
      if (c.snapshot) parts[String(i)] = c.snapshot();
    });
    return { format: 'perBucket/1', parts };
  }

  restore(snapshot: Snapshot): void {
    expectFormat(snapshot, 'perBucket/1', 'perBucket');
    const parts = (snapshot.parts ?? {}) as { [index: string]: Snapshot };
    this.inner.forEach((c, i) => {
      const part = parts[String(i)];
      if (part && c.restore) c.restore(part);
    });
  }
}

function sumOrCombine(compressor: Compressor, payloads: readonly Uint8Array[], out: Float32Array, ctx: CompressContext): void {
  if (compressor.combine) return compressor.combine(payloads, out, ctx);
  out.fill(0);
  const decoded = new Float32Array(out.length);
  for (const payload of payloads) {
    compressor.decompress(payload, decoded, ctx);
    for (let i = 0; i < out.length; i++) out[i] += decoded[i]!;
  }
}

/** The compressor provider a compressor spec registers (other registrations are passed on). */
function captureCompressor(spec: PluginSpec, registrar: Registrar): (resolver: Resolver) => Compressor {
  let provider: Provider<Compressor> | undefined;
  spec.register({
    register<T>(token: Token<T>, p: Provider<T>) {
      if (token.key === Compressor.key) provider = p as unknown as Provider<Compressor>;
      else registrar.register(token, p);
    },
  });
  if (!provider) throw new OptionError('perBucket', spec.name, 'did not register a Compressor');
  const found = provider;
  return (resolver) => ('useValue' in found ? found.useValue : found.useFactory(resolver));
}

function checkSpec(spec: unknown, option: string): PluginSpec {
  const s = spec as PluginSpec | undefined;
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
export function perBucket(options: PerBucketOptions = {}): PluginSpec<ResolvedPerBucketOptions> {
  knownOptions('perBucket', options, ['rules', 'otherwise']);
  const otherwise = checkSpec(options.otherwise, 'otherwise');
  const rules = options.rules ?? [];
  if (!Array.isArray(rules)) throw new OptionError('perBucket', 'rules', `must be an array of rules, got ${formatValue(rules)}`);
  const specs: PluginSpec[] = [];
  const compiled: CompiledRule[] = [];
  const described: ResolvedPerBucketOptions['rules'][number][] = [];
  rules.forEach((rule: PerBucketRule, r: number) => {
    const at = `rules[${r}]`;
    knownOptions('perBucket', rule, ['maxLength', 'minLength', 'keyPattern', 'use']);
    const maxLength = numberOption('perBucket', `${at}.maxLength`, rule.maxLength, { min: 0, integer: true }, Number.MAX_SAFE_INTEGER);
    const minLength = numberOption('perBucket', `${at}.minLength`, rule.minLength, { min: 0, integer: true }, 0);
    let pattern: RegExp | undefined;
    if (rule.keyPattern !== undefined) {
      if (typeof rule.keyPattern !== 'string') throw new OptionError('perBucket', `${at}.keyPattern`, `must be a regular expression string, got ${formatValue(rule.keyPattern)}`);
      try {
        pattern = new RegExp(rule.keyPattern);
      } catch (error) {
        throw new OptionError('perBucket', `${at}.keyPattern`, `is not a valid regular expression: ${(error as Error).message}`);
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
  const requires = new Map<string, Requirement>();
  for (const spec of specs) for (const req of spec.requires ?? []) if (!requires.has(req.capability)) requires.set(req.capability, req);
  const resolved: ResolvedPerBucketOptions = Object.freeze({
    rules: Object.freeze(described),
    otherwise: { name: otherwise.name, options: otherwise.options },
  });
  const spec: PluginSpec<ResolvedPerBucketOptions> = {
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
