import {
  PayloadError,
  booleanOption,
  knownOptions,
  numberOption,
  type CompressContext,
  type Compressor,
  type PluginSpec,
  type ReduceLink,
  type Rng,
  type Snapshot,
} from '@syncopate/core';
import { KeyedBuffers, expectFormat } from '../internal/keyed-buffers.js';
import { COMPRESSOR_IDS } from '../internal/compressor-ids.js';
import { compressorSpec } from '../internal/compressor-spec.js';
import { where } from '../internal/context.js';
import { assertFinite } from '../internal/finite.js';
import { multiply, multiplyTransposed, orthonormalise, reconstruct } from '../internal/low-rank.js';
import { blockKey, planPowerSgd, type LowRankBlock, type PowerSgdPlan } from './power-sgd-plan.js';
import { HEADER_BYTES, bodyOf, createPayload, expectBodyLength, floatsAt, openPayload, sealPayload, uint32sAt } from '../internal/payload.js';
import { deriveRng } from '../internal/random-stream.js';

const ID = COMPRESSOR_IDS.powerSgd;
const NAME = 'powerSgd';
const FORMAT = 'powerSgd/1';

/** Options of {@link powerSgd}. */
export interface PowerSgdOptions {
  /** Rank r of the approximation. Default 1 (PyTorch's default; the paper also uses 2 and 4). */
  readonly rank?: number;
  /** Start each step's power iteration from the previous step's Q (per buffer key and matrix). Default true. */
  readonly warmStart?: boolean;
  /**
   * Require an error-feedback plugin in the composition, as the paper's algorithm does.
   * Default true; set false only to study PowerSGD without it.
   */
  readonly errorFeedback?: boolean;
}

/**
 * PowerSGD (Vogels et al., "PowerSGD: practical low-rank gradient compression for distributed
 * optimization", NeurIPS 2019): one step of subspace (power) iteration per training step.
 *
 * When the context names the buffer's tensors (`ctx.tensors`, filled by the trainer's exchange
 * from the model's layout), each tensor of two or more dimensions is its own matrix M of
 * `shape[0] × (product of the rest)` with rank min(r, rows, cols), its own P and Q and its own
 * warm start, as in the paper; 1-D tensors (biases) are summed uncompressed. Without them the
 * whole buffer is one near-square zero-padded matrix (PyTorch's batched PowerSGD for a bucket).
 * With Q from the previous step (warm start) or a shared random start, for every matrix:
 *   P ← M Q, allreduce P, orthonormalise P;  Q ← Mᵀ P, allreduce Q;  result P Qᵀ.
 * All P's and the uncompressed values travel in one allreduce, all Q's in a second (the paper's
 * batching), so the aggregation is `sum` and a step costs two collectives whatever the layer
 * count. The rank's own share `local` = P (Mᵢᵀ P)ᵀ (and its dense values) feeds error feedback.
 * The allreduced Q of each matrix is kept as its next warm start and is part of `snapshot()`.
 */
export class PowerSgdCompressor implements Compressor {
  readonly name = NAME;
  readonly aggregation = 'sum';
  readonly unbiased = false;
  private readonly warm = new KeyedBuffers(NAME);

  constructor(private readonly options: Required<PowerSgdOptions>) {}

  private plan(length: number, ctx: CompressContext): PowerSgdPlan {
    return planPowerSgd(length, this.options.rank, ctx.tensors, where(NAME, 'plan', ctx));
  }

  /** Bytes of the body: the dimensions, then every P, every Q and the dense values as float32. */
  private bodyBytes(plan: PowerSgdPlan): number {
    return metaBytes(plan) + 4 * (plan.pFloats + plan.qFloats + plan.denseFloats);
  }

  /**
   * Compressed ÷ dense bytes for the whole-buffer view: it cannot see a layout, so per-tensor
   * buffers are counted exactly only by {@link wireBytes}.
   */
  estimateRatio(length: number): number {
    return (HEADER_BYTES + this.bodyBytes(planPowerSgd(length, this.options.rank, undefined, NAME))) / (4 * Math.max(1, length));
  }

  wireBytes(input: Float32Array, ctx: CompressContext): number {
    return HEADER_BYTES + this.bodyBytes(this.plan(input.length, ctx));
  }

  /** Q to start from: the warm start of this matrix, or a standard normal draw every rank shares. */
  private startingQ(key: string, cols: number, rank: number, start: () => Rng): Float32Array {
    const previous = this.options.warmStart ? this.warm.find(key, cols * rank) : undefined;
    if (previous) return previous.slice();
    const q = new Float32Array(cols * rank);
    const rng = start();
    for (let t = 0; t < q.length; t++) q[t] = rng.nextNormal();
    return q;
  }

  private remember(key: string, q: Float32Array): void {
    if (this.options.warmStart) this.warm.get(key, q.length).set(q);
  }

  /** P ← M Q for every matrix into `pSection`, from warm or shared random starts. */
  private project(input: Float32Array, plan: PowerSgdPlan, pSection: Float32Array, ctx: CompressContext): void {
    let rng: Rng | undefined;
    const start = (): Rng => (rng ??= deriveRng(ctx.sharedRng, 'powerSgd/q'));
    for (const b of plan.blocks) {
      const q = this.startingQ(blockKey(ctx.key, b, plan.layered), b.cols, b.rank, start);
      multiply(matrixOf(input, b), b.rows, b.cols, q, b.rank, pSection.subarray(b.pAt, b.pAt + b.rows * b.rank));
    }
  }

  /** Orthonormalise every P, then Q ← Mᵀ P into `qSection`, and this rank's P Qᵀ into `local`. */
  private back(input: Float32Array, plan: PowerSgdPlan, pSection: Float32Array, qSection: Float32Array, local?: Float32Array): void {
    for (const b of plan.blocks) {
      const p = pSection.subarray(b.pAt, b.pAt + b.rows * b.rank);
      const q = qSection.subarray(b.qAt, b.qAt + b.cols * b.rank);
      orthonormalise(p, b.rows, b.rank);
      multiplyTransposed(matrixOf(input, b), b.rows, b.cols, p, b.rank, q);
      if (local) reconstruct(p, q, b.rows, b.cols, b.rank, matrixOf(local, b));
    }
  }

  /** `out` ← P Qᵀ of every matrix and the dense values. */
  private rebuild(plan: PowerSgdPlan, pSection: Float32Array, qSection: Float32Array, denseSection: Float32Array, out: Float32Array): void {
    for (const b of plan.blocks) {
      const p = pSection.subarray(b.pAt, b.pAt + b.rows * b.rank);
      const q = qSection.subarray(b.qAt, b.qAt + b.cols * b.rank);
      reconstruct(p, q, b.rows, b.cols, b.rank, matrixOf(out, b));
    }
    for (const d of plan.dense) out.set(denseSection.subarray(d.at, d.at + d.length), d.offset);
  }

  private rememberAll(plan: PowerSgdPlan, qSection: Float32Array, key: string): void {
    for (const b of plan.blocks) this.remember(blockKey(key, b, plan.layered), qSection.subarray(b.qAt, b.qAt + b.cols * b.rank));
  }

  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    assertFinite(input, where(NAME, 'compress', ctx), ctx.step);
    const plan = this.plan(input.length, ctx);
    const payload = createPayload(ID, input.length, this.bodyBytes(plan));
    const body = bodyOf(payload);
    writeMeta(body, plan);
    const { p, q, dense } = sections(body, plan);
    this.project(input, plan, p, ctx);
    this.back(input, plan, p, q);
    for (const d of plan.dense) dense.set(input.subarray(d.offset, d.offset + d.length), d.at);
    this.rememberAll(plan, q, ctx.key);
    return sealPayload(payload);
  }

  decompress(payload: Uint8Array, out: Float32Array, ctx: CompressContext): void {
    const body = openPayload(payload, ID, out.length, NAME);
    const plan = this.plan(out.length, ctx);
    expectBodyLength(body, this.bodyBytes(plan), NAME, describePlan(plan));
    checkMeta(body, plan);
    const { p, q, dense } = sections(body, plan);
    this.rebuild(plan, p, q, dense, out);
  }

  async reduce(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, link: ReduceLink): Promise<void> {
    assertFinite(input, where(NAME, 'reduce', ctx), ctx.step);
    const plan = this.plan(input.length, ctx);
    // Round 1: every P and the uncompressed values; round 2: every Q.
    const first = new Float32Array(plan.pFloats + plan.denseFloats);
    const p = first.subarray(0, plan.pFloats);
    const dense = first.subarray(plan.pFloats);
    const q = new Float32Array(plan.qFloats);
    this.project(input, plan, p, ctx);
    for (const d of plan.dense) {
      dense.set(input.subarray(d.offset, d.offset + d.length), d.at);
      local.set(input.subarray(d.offset, d.offset + d.length), d.offset);
    }
    if (first.length > 0) await link.allreduce(first);
    this.back(input, plan, p, q, local);
    if (q.length > 0) await link.allreduce(q);
    this.rebuild(plan, p, q, dense, out);
    this.rememberAll(plan, q, ctx.key);
  }

  snapshot(): Snapshot {
    return { format: FORMAT, warmStart: this.warm.toState() };
  }

  restore(snapshot: Snapshot): void {
    expectFormat(snapshot, FORMAT, NAME);
    this.warm.fromState(snapshot.warmStart, 'warmStart');
  }
}

/** The elements of matrix `b` in `buffer` (cut at the buffer's end for the zero-padded view). */
function matrixOf(buffer: Float32Array, b: LowRankBlock): Float32Array {
  return buffer.subarray(b.offset, b.offset + b.rows * b.cols);
}

/**
 * The dimensions at the start of the body: `rows, cols, rank` for the whole-buffer view;
 * the matrix count, then `rows, cols, rank` of each matrix, for the per-tensor view.
 */
function metaBytes(plan: PowerSgdPlan): number {
  return plan.layered ? 4 + 12 * plan.blocks.length : 12;
}

function metaWords(plan: PowerSgdPlan): number[] {
  const dims = plan.blocks.flatMap((b) => [b.rows, b.cols, b.rank]);
  return plan.layered ? [plan.blocks.length, ...dims] : dims;
}

function writeMeta(body: Uint8Array, plan: PowerSgdPlan): void {
  uint32sAt(body, 0, metaBytes(plan) / 4).set(metaWords(plan));
}

function checkMeta(body: Uint8Array, plan: PowerSgdPlan): void {
  const expected = metaWords(plan);
  const got = Array.from(uint32sAt(body, 0, expected.length));
  if (got.some((word, i) => word !== expected[i])) {
    throw new PayloadError(`${NAME}: payload dimensions [${got.join(', ')}] do not match the expected ${describePlan(plan)} [${expected.join(', ')}]`);
  }
}

function sections(body: Uint8Array, plan: PowerSgdPlan): { p: Float32Array; q: Float32Array; dense: Float32Array } {
  const at = metaBytes(plan);
  return {
    p: floatsAt(body, at, plan.pFloats),
    q: floatsAt(body, at + 4 * plan.pFloats, plan.qFloats),
    dense: floatsAt(body, at + 4 * (plan.pFloats + plan.qFloats), plan.denseFloats),
  };
}

function describePlan(plan: PowerSgdPlan): string {
  if (!plan.layered) {
    const b = plan.blocks[0]!;
    return `P (${b.rows}×${b.rank}) and Q (${b.cols}×${b.rank})`;
  }
  return `${plan.blocks.length} matrices (${plan.pFloats} P and ${plan.qFloats} Q floats) and ${plan.denseFloats} dense values`;
}

/**
 * PowerSGD: rank-r compression by one power-iteration step per round, with warm start.
 *
 * @example
 * ```ts
 * plugins: [powerSgd({ rank: 2 }), errorFeedback()]
 * ```
 */
export function powerSgd(options: PowerSgdOptions = {}): PluginSpec<Required<PowerSgdOptions>> {
  knownOptions(NAME, options, ['rank', 'warmStart', 'errorFeedback']);
  const resolved: Required<PowerSgdOptions> = {
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
