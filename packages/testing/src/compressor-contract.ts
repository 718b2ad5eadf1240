/**
 * The contract every compressor passes, as a list of named cases that any test runner can run:
 *
 * ```ts
 * for (const c of compressorContract(topK({ ratio: 0.1 }))) it(c.name, c.run);
 * ```
 *
 * It checks what the exchange and the trainer rely on: an inert spec whose requirements match
 * its aggregation; shape round-trip; `wireBytes` equal to the real payload size; determinism for
 * a seed; `NonFiniteError` naming the index of a NaN/Inf; `PayloadError` for a payload of the
 * wrong length, truncated, padded or with any single bit flipped; unbiasedness (for compressors
 * that claim it) as the mean of 2000 seeded draws; the declared contraction bound; exact top-k
 * for compressors that keep the k largest magnitudes; `reduce` on 4 in-process ranks for `sum`
 * compressors; `combine` equal to decompress-then-sum for `gather` compressors; and
 * snapshot/restore continuing bit for bit.
 */
import {
  Capabilities,
  Compressor,
  NonFiniteError,
  PayloadError,
  type CompressContext,
  type CompressTensor,
  type PluginSpec,
} from '@syncopate/core';
import { check, checkClose, checkSameBytes, expectError, expectRejection } from './compressor-contract-assert.js';
import { measureCompressorBias } from './compressor-contract-bias.js';
import { compressContext, seededNormals, type CompressContextInit } from './compressor-contract-context.js';
import { instantiate, type CompressorContractService } from './compressor-contract-instantiate.js';
import { linkedReduceRanks } from './compressor-contract-link.js';

/** One named check of a contract. */
export interface CompressorContractCase {
  readonly name: string;
  readonly run: () => void | Promise<void>;
}

/** Options of {@link compressorContract}. */
export interface CompressorContractOptions {
  /** Buffer lengths to round-trip. Default [1, 5, 64, 1000, 4099]. */
  readonly lengths?: readonly number[];
  /** Seeded draws for the unbiasedness check. Default 2000. */
  readonly draws?: number;
  /** Largest |z| tolerated by the unbiasedness check. Default 5 (see `measureCompressorBias`). */
  readonly maxZ?: number;
  /** The compressor draws random numbers: different seeds must give different payloads. Default false. */
  readonly stochastic?: boolean;
  /** For compressors that keep exactly the k largest magnitudes: k for a length. */
  readonly keepsLargest?: (length: number) => number;
  /** `estimateRatio(n)` equals `wireBytes / 4n` (fixed-size payloads). Default true. */
  readonly ratioIsExact?: boolean;
  /** `sum` compressors: the ranks' `local` outputs add up to `out`. Default true. */
  readonly localsSumToResult?: boolean;
  /** Services its factory may resolve (e.g. a Transport). */
  readonly services?: readonly CompressorContractService[];
  /**
   * The `CompressContext.tensors` to pass for a buffer of `length` elements, to run the contract
   * on a layer-aware compressor's per-tensor path. Default: no tensors.
   */
  readonly tensors?: (length: number) => readonly CompressTensor[];
}

const RANKS = 4;

/** The contract cases of the compressor made by `spec`. */
export function compressorContract(spec: PluginSpec, options: CompressorContractOptions = {}): CompressorContractCase[] {
  const lengths = options.lengths ?? [1, 5, 64, 1000, 4099];
  const draws = options.draws ?? 2000;
  const maxZ = options.maxZ ?? 5;
  const make = (): Compressor => instantiate(spec, Compressor, options.services);
  const probe = make();
  const cases: CompressorContractCase[] = [];
  const add = (name: string, run: () => void | Promise<void>) => cases.push({ name, run });
  /** A test context for a buffer of `n` elements, with the tensors of `options.tensors`. */
  const context = (n: number, init: CompressContextInit = {}): CompressContext =>
    compressContext({ ...init, ...(options.tensors && { tensors: options.tensors(n) }) });

  add('is an inert compressor spec whose requirements match its aggregation', () => {
    check(spec.kind === 'compressor', `kind is '${spec.kind}', expected 'compressor'`);
    check(typeof spec.name === 'string' && spec.name.length > 0, 'name must be a non-empty string');
    check(Object.isFrozen(spec), 'the spec must be frozen');
    const needs = new Set((spec.requires ?? []).map((r) => r.capability));
    if (probe.aggregation === 'sum') {
      check(needs.has(Capabilities.allreduce) || needs.has(Capabilities.allgather), 'a sum compressor must require allreduce or allgather');
    } else {
      check(needs.has(Capabilities.allgather) || needs.has(Capabilities.vote), `a ${probe.aggregation} compressor must require allgather (or vote)`);
    }
    for (const r of spec.requires ?? []) check(r.reason.length > 0, `requirement ${r.capability} needs a reason`);
    check(make() !== make(), 'each composition must get its own instance');
  });

  add('declares its aggregation, bias and ratio', () => {
    check(['sum', 'gather', 'vote'].includes(probe.aggregation), `aggregation '${probe.aggregation}' is not sum, gather or vote`);
    check(typeof probe.unbiased === 'boolean', 'unbiased must be a boolean');
    if (probe.contraction !== undefined) check(probe.contraction > 0 && probe.contraction <= 1, `contraction ${probe.contraction} is not in (0, 1]`);
    if (probe.aggregation === 'sum') check(typeof probe.reduce === 'function', 'a sum compressor must implement reduce');
    for (const n of lengths) {
      const ratio = probe.estimateRatio(n);
      check(Number.isFinite(ratio) && ratio > 0, `estimateRatio(${n}) = ${ratio}`);
    }
  });

  add('round-trips every shape without touching its input', () => {
    for (const n of lengths) {
      const input = seededNormals(n, n);
      const copy = input.slice();
      const ctx = context(n, { step: 2 });
      const out = new Float32Array(n).fill(Number.NaN);
      const c = make();
      c.decompress(c.compress(input, ctx), out, ctx);
      checkSameBytes(new Uint8Array(input.buffer), new Uint8Array(copy.buffer), `compress modified its input (length ${n})`);
      for (let i = 0; i < n; i++) check(Number.isFinite(out[i]!), () => `length ${n}: decoded element ${i} is ${out[i]}, not overwritten with a finite value`);
    }
  });

  add('reports wire bytes equal to the serialised size', () => {
    for (const n of lengths) {
      const input = seededNormals(n, 7 * n);
      const ctx = context(n, { step: 1 });
      const c = make();
      const expected = c.wireBytes(input, ctx);
      const actual = c.compress(input, ctx).byteLength;
      check(expected === actual, `length ${n}: wireBytes says ${expected} but the payload is ${actual} bytes`);
      if (options.ratioIsExact ?? true) {
        const ratio = c.estimateRatio(n);
        check(Math.abs(ratio - actual / (4 * n)) <= 1e-12 * ratio, `length ${n}: estimateRatio ${ratio} but the payload is ${actual / (4 * n)} of dense`);
      }
    }
  });

  add('is deterministic for a seed', () => {
    const input = seededNormals(1000, 3);
    const ctx = () => context(1000, { seed: 42, step: 5, rank: 1, size: RANKS });
    const first = make().compress(input, ctx());
    checkSameBytes(make().compress(input, ctx()), first, 'two compressions with the same seed');
    if (options.stochastic) {
      const other = make().compress(input, context(1000, { seed: 43, step: 5, rank: 1, size: RANKS }));
      const same = other.length === first.length && other.every((b, i) => b === first[i]);
      check(!same, 'a stochastic compressor gave identical payloads for two different seeds');
    }
  });

  add('refuses NaN and ±Inf with NonFiniteError naming the index', async () => {
    for (const [index, value] of [
      [3, Number.NaN],
      [17, Number.POSITIVE_INFINITY],
      [63, Number.NEGATIVE_INFINITY],
    ] as const) {
      const input = seededNormals(64, 11);
      input[index] = value;
      const error = expectError(() => make().compress(input, context(64)), NonFiniteError, `compress with ${value} at ${index}`);
      check(error.index === index, `NonFiniteError names index ${error.index}, expected ${index}`);
      if (probe.aggregation === 'sum' && probe.reduce) {
        const [link] = linkedReduceRanks(1);
        const n = input.length;
        await expectRejection(() => make().reduce!(input, new Float32Array(n), new Float32Array(n), context(n), link!), NonFiniteError, `reduce with ${value} at ${index}`);
      }
    }
  });

  add('refuses a payload of the wrong length with PayloadError', () => {
    const n = 64;
    const ctx = context(n);
    const c = make();
    const payload = c.compress(seededNormals(n, 5), ctx);
    expectError(() => c.decompress(payload, new Float32Array(n + 1), ctx), PayloadError, 'decompress into a longer buffer');
    expectError(() => c.decompress(payload, new Float32Array(n - 1), ctx), PayloadError, 'decompress into a shorter buffer');
    expectError(() => c.decompress(payload.subarray(0, payload.length - 1), new Float32Array(n), ctx), PayloadError, 'a truncated payload');
    expectError(() => c.decompress(payload.subarray(0, 5), new Float32Array(n), ctx), PayloadError, 'a payload cut inside its header');
    const padded = new Uint8Array(payload.length + 4);
    padded.set(payload);
    expectError(() => c.decompress(padded, new Float32Array(n), ctx), PayloadError, 'a padded payload');
  });

  add('detects any single flipped bit in a payload', () => {
    const n = 37;
    const ctx = context(n, { step: 3 });
    const c = make();
    const payload = c.compress(seededNormals(n, 9), ctx);
    const positions = payload.length <= 512 ? payload.keys() : [...Array(16).keys(), ...Array.from({ length: 64 }, (_, j) => 16 + Math.floor(((payload.length - 16) * j) / 64))];
    for (const position of positions) {
      const corrupted = payload.slice();
      corrupted[position] ^= 1 << position % 8;
      expectError(() => c.decompress(corrupted, new Float32Array(n), ctx), PayloadError, `bit ${position % 8} of byte ${position} flipped`);
    }
  });

  if (probe.unbiased) {
    add(`is unbiased: the mean of ${draws} seeded draws is within ${maxZ} standard errors of the input`, () => {
      const rng = seededNormals(32, 77);
      // Magnitudes in [0.25, 1]: every element has a fair chance of each outcome in 2000 draws.
      const input = rng.map((x) => Math.sign(x || 1) * (0.25 + 0.75 * ((Math.abs(x) * 1000) % 1)));
      const report = measureCompressorBias(make(), input, draws);
      check(report.worstZ <= maxZ, () => {
        const i = report.worstIndex;
        return `element ${i}: mean ${report.mean[i]} of ${draws} draws vs input ${input[i]} is ${report.worstZ.toFixed(1)} standard errors (${report.standardError[i]!.toExponential(2)}) away`;
      });
    });
  }

  if (probe.contraction !== undefined) {
    add(`contracts: E‖C(x) − x‖² ≤ (1 − ${probe.contraction})‖x‖² (mean of 20 seeded draws, + 5 standard errors)`, () => {
      const delta = probe.contraction!;
      for (let trial = 0; trial < 5; trial++) {
        const input = seededNormals(500, 100 + trial);
        let norm = 0;
        for (let i = 0; i < input.length; i++) norm += input[i]! ** 2;
        const errors: number[] = [];
        const out = new Float32Array(input.length);
        for (let draw = 0; draw < 20; draw++) {
          const ctx = context(input.length, { seed: 1 + 20 * trial + draw });
          const c = make();
          c.decompress(c.compress(input, ctx), out, ctx);
          let error = 0;
          for (let i = 0; i < input.length; i++) error += (out[i]! - input[i]!) ** 2;
          errors.push(error);
        }
        const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
        const sd = Math.sqrt(errors.reduce((a, b) => a + (b - mean) ** 2, 0) / (errors.length - 1));
        const bound = (1 - delta) * norm;
        check(mean <= bound * (1 + 1e-6) + 5 * (sd / Math.sqrt(errors.length)) + 1e-12, `trial ${trial}: mean ‖C(x) − x‖² = ${mean} (sd ${sd}), bound ${bound}`);
      }
    });
  }

  if (options.keepsLargest) {
    const kOf = options.keepsLargest;
    add('keeps exactly the k largest magnitudes, values unchanged', () => {
      for (const n of lengths) {
        const input = seededNormals(n, 31 * n);
        // Ties at the boundary: repeat some magnitudes with both signs.
        for (let i = 0; i + 3 < n; i += 4) input[i + 1] = -input[i]!;
        const k = kOf(n);
        const order = [...input.keys()].sort((a, b) => Math.abs(input[b]!) - Math.abs(input[a]!) || a - b);
        const expected = new Set(order.slice(0, k));
        const ctx = context(n);
        const out = new Float32Array(n);
        const c = make();
        c.decompress(c.compress(input, ctx), out, ctx);
        let kept = 0;
        for (let i = 0; i < n; i++) {
          if (expected.has(i)) {
            check(out[i] === input[i], () => `length ${n}: element ${i} (|x| = ${Math.abs(input[i]!)}) should be kept as ${input[i]}, got ${out[i]}`);
            kept++;
          } else {
            check(out[i] === 0, () => `length ${n}: element ${i} (|x| = ${Math.abs(input[i]!)}) is not among the ${k} largest but decoded as ${out[i]}`);
          }
        }
        check(kept === k, `length ${n}: kept ${kept} elements, expected ${k}`);
      }
    });
  }

  if (probe.aggregation === 'sum') {
    add(`reduces on ${RANKS} ranks: every rank gets the same sum of the ranks' contributions`, async () => {
      const n = 1000;
      const links = linkedReduceRanks(RANKS);
      const compressors = links.map(() => make());
      const inputs = links.map((_, r) => seededNormals(n, 500 + r));
      const outs = links.map(() => new Float32Array(n));
      const locals = links.map(() => new Float32Array(n));
      await Promise.all(
        links.map((link, r) => compressors[r]!.reduce!(inputs[r]!, outs[r]!, locals[r]!, context(n, { step: 4, rank: r, size: RANKS }), link)),
      );
      for (let r = 1; r < RANKS; r++) checkSameBytes(new Uint8Array(outs[r]!.buffer), new Uint8Array(outs[0]!.buffer), `rank ${r}'s result vs rank 0's`);
      if (options.localsSumToResult ?? true) {
        const total = new Float32Array(n);
        for (const local of locals) for (let i = 0; i < n; i++) total[i] += local[i]!;
        checkClose(outs[0]!, total, 1e-5, 'result vs the sum of the ranks’ local contributions');
      }
    });
  }

  if (probe.aggregation === 'gather') {
    add(`combines ${RANKS} ranks' payloads like decompress-then-sum`, () => {
      const n = 1000;
      const payloads: Uint8Array[] = [];
      const expected = new Float32Array(n);
      const decoded = new Float32Array(n);
      const contexts: CompressContext[] = [];
      for (let r = 0; r < RANKS; r++) {
        const ctx = context(n, { step: 6, rank: r, size: RANKS });
        contexts.push(ctx);
        const c = make();
        const payload = c.compress(seededNormals(n, 900 + r), ctx);
        payloads.push(payload);
        c.decompress(payload, decoded, ctx);
        for (let i = 0; i < n; i++) expected[i] += decoded[i]!;
      }
      const out = new Float32Array(n).fill(Number.NaN);
      const c = make();
      if (c.combine) c.combine(payloads, out, contexts[0]!);
      else {
        out.fill(0);
        for (const p of payloads) {
          c.decompress(p, decoded, contexts[0]!);
          for (let i = 0; i < n; i++) out[i] += decoded[i]!;
        }
      }
      checkClose(out, expected, 1e-6, 'combine vs decompress-then-sum');
    });
  }

  if (probe.snapshot) {
    add('continues bit for bit after snapshot and restore', () => {
      const original = make();
      for (let step = 0; step < 3; step++) original.compress(seededNormals(300, step), context(300, { step }));
      const restored = make();
      restored.restore!(original.snapshot!());
      const next = seededNormals(300, 99);
      const ctx = () => context(300, { step: 3 });
      checkSameBytes(restored.compress(next, ctx()), original.compress(next, ctx()), 'payload after restore');
    });
  }

  return cases;
}
