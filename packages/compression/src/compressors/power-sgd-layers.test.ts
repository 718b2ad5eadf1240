import { LayoutMismatchError, NonFiniteError, PayloadError, type CompressTensor, type ReduceLink } from '@syncopate/core';
import { compressContext, compressorContract, instantiateCompressor, linkedReduceRanks, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { powerSgd } from './power-sgd.js';

/** A 6×4 kernel, its bias, a 3×5 kernel, its bias, then 2 elements no tensor covers: 50 in all. */
const TENSORS: readonly CompressTensor[] = [
  { offset: 0, length: 24, shape: [6, 4] },
  { offset: 24, length: 4, shape: [4] },
  { offset: 28, length: 15, shape: [3, 5] },
  { offset: 43, length: 5, shape: [5] },
];
const LENGTH = 50;
const DENSE = [...range(24, 28), ...range(43, 50)];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** σ u vᵀ (rows × cols, row-major) written at `offset` of `x`. */
function addRankOne(x: Float32Array, offset: number, rows: number, cols: number, sigma: number, seed: number): void {
  const u = seededNormals(rows, seed);
  const v = seededNormals(cols, seed + 1);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) x[offset + i * cols + j] += sigma * u[i]! * v[j]!;
}

function squaredError(a: Float32Array, b: Float32Array): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e += (a[i]! - b[i]!) ** 2;
  return e;
}

/** Run `reduce` on every rank of a linked group; returns each rank's `out` and `local`. */
async function reduceAll(inputs: Float32Array[], rank: number, step = 0, links: ReduceLink[] = linkedReduceRanks(inputs.length)) {
  const compressors = inputs.map(() => instantiateCompressor(powerSgd({ rank })));
  return Promise.all(
    inputs.map(async (x, r) => {
      const out = new Float32Array(x.length);
      const local = new Float32Array(x.length);
      await compressors[r]!.reduce!(x, out, local, compressContext({ step, rank: r, size: inputs.length, tensors: TENSORS }), links[r]!);
      return { out, local };
    }),
  );
}

describe('powerSgd per tensor (ctx.tensors)', () => {
  it('is exact when the rank reaches min(rows, cols) of every matrix, with the same result on every rank', async () => {
    const inputs = [0, 1, 2, 3].map((r) => seededNormals(LENGTH, 100 + r));
    const results = await reduceAll(inputs, 4);
    const dense = new Float32Array(LENGTH);
    for (const x of inputs) for (let i = 0; i < LENGTH; i++) dense[i] += x[i]!;
    for (let i = 0; i < LENGTH; i++) expect(results[0]!.out[i]).toBeCloseTo(dense[i]!, 4);
    for (const { out } of results) expect(out).toEqual(results[0]!.out);
  });

  it('sums biases and uncovered elements uncompressed, exactly, even at rank 1', async () => {
    const inputs = [0, 1, 2].map((r) => seededNormals(LENGTH, 200 + r));
    const results = await reduceAll(inputs, 1);
    for (const i of DENSE) {
      expect(results[1]!.out[i]).toBe(Math.fround(Math.fround(inputs[0]![i]! + inputs[1]![i]!) + inputs[2]![i]!));
      results.forEach(({ local }, r) => expect(local[i]).toBe(inputs[r]![i]));
    }
    // Error feedback's premise: the ranks' own shares add up to the result, matrices included.
    for (let i = 0; i < LENGTH; i++) expect(results[0]!.out[i]).toBeCloseTo(results.reduce((sum, { local }) => sum + local[i]!, 0), 4);
  });

  it('compresses each layer separately: on a block-diagonal rank-1 example its error is no larger than (here far below) the whole-buffer view', () => {
    const x = new Float32Array(LENGTH);
    addRankOne(x, 0, 6, 4, 3, 1);
    addRankOne(x, 28, 3, 5, 2, 3);
    const perTensor = instantiateCompressor(powerSgd({ rank: 1 }));
    const whole = instantiateCompressor(powerSgd({ rank: 1 }));
    const errors = { perTensor: 0, whole: 0 };
    for (let step = 0; step < 3; step++) {
      const layered = compressContext({ step, tensors: TENSORS });
      const flat = compressContext({ step });
      const a = new Float32Array(LENGTH);
      const b = new Float32Array(LENGTH);
      perTensor.decompress(perTensor.compress(x, layered), a, layered);
      whole.decompress(whole.compress(x, flat), b, flat);
      errors.perTensor = squaredError(a, x);
      errors.whole = squaredError(b, x);
    }
    const energy = squaredError(x, new Float32Array(LENGTH));
    expect(errors.perTensor).toBeLessThanOrEqual(errors.whole);
    expect(errors.perTensor).toBeLessThan(1e-8 * energy);
    expect(errors.whole).toBeGreaterThan(1e-3 * energy);
  });

  it('warm-starts every matrix from its own previous Q: the error falls over steps on a fixed matrix, unlike cold starts', () => {
    const tensors: CompressTensor[] = [{ offset: 0, length: 24 * 20, shape: [24, 20] }];
    const x = new Float32Array(24 * 20);
    [10, 8, 6, 4].forEach((sigma, t) => addRankOne(x, 0, 24, 20, sigma, 10 + 2 * t));
    const errorsOf = (warmStart: boolean) => {
      const c = instantiateCompressor(powerSgd({ rank: 2, warmStart }));
      return Array.from({ length: 8 }, (_, step) => {
        const ctx = compressContext({ step, tensors });
        const out = new Float32Array(x.length);
        c.decompress(c.compress(x, ctx), out, ctx);
        return squaredError(out, x);
      });
    };
    const warm = errorsOf(true);
    const cold = errorsOf(false);
    // Power iteration: each warm step is at least as good as the one before.
    for (let step = 1; step < warm.length; step++) expect(warm[step]!).toBeLessThanOrEqual(warm[step - 1]! * (1 + 1e-6));
    expect(warm.at(-1)!).toBeLessThan(0.8 * warm[0]!);
    expect(warm.at(-1)!).toBeLessThan(0.9 * Math.min(...cold));
  });

  it('keeps one warm start per matrix in its snapshot, and a restored compressor continues bit for bit', () => {
    const x = seededNormals(LENGTH, 7);
    const a = instantiateCompressor(powerSgd({ rank: 2 }));
    for (let step = 0; step < 3; step++) a.compress(x, compressContext({ step, tensors: TENSORS }));
    const snapshot = a.snapshot!();
    expect(Object.keys(snapshot.warmStart as object)).toHaveLength(2);
    const b = instantiateCompressor(powerSgd({ rank: 2 }));
    b.restore!(snapshot);
    const next = compressContext({ step: 3, tensors: TENSORS });
    expect(b.compress(x, next)).toEqual(a.compress(x, next));
  });

  it('sends what wireBytes says: (rows + cols)·r floats per matrix plus the dense values, in two allreduces', async () => {
    const c = instantiateCompressor(powerSgd({ rank: 2 }));
    const ctx = compressContext({ tensors: TENSORS });
    const x = seededNormals(LENGTH, 9);
    const floats = (6 + 4) * 2 + (3 + 5) * 2 + DENSE.length;
    const meta = 4 + 12 * 2;
    expect(c.wireBytes(x, ctx)).toBe(16 + meta + 4 * floats);
    expect(c.compress(x, ctx).length).toBe(c.wireBytes(x, ctx));
    const sent: number[] = [];
    const [link] = linkedReduceRanks(1);
    const counting: ReduceLink = { ...link!, allreduce: (buffer) => (sent.push(buffer.length), link!.allreduce(buffer)) };
    await c.reduce!(x, new Float32Array(LENGTH), new Float32Array(LENGTH), ctx, counting);
    expect(sent).toEqual([6 * 2 + 3 * 2 + DENSE.length, 4 * 2 + 5 * 2]);
    expect(4 * (sent[0]! + sent[1]!)).toBe(c.wireBytes(x, ctx) - 16 - meta);
  });

  it('refuses tensors that overlap, leave the buffer or disagree with their shape, and payloads of another layout', () => {
    const c = instantiateCompressor(powerSgd({ rank: 2 }));
    const x = seededNormals(LENGTH, 11);
    const bad = (tensors: CompressTensor[]) => () => c.compress(x, compressContext({ tensors }));
    expect(bad([{ offset: 0, length: 24, shape: [6, 4] }, { offset: 20, length: 4, shape: [4] }])).toThrow(LayoutMismatchError);
    expect(bad([{ offset: 40, length: 24, shape: [6, 4] }])).toThrow(/does not fit a 50-element buffer/);
    expect(bad([{ offset: 0, length: 24, shape: [5, 4] }])).toThrow(/shape \[5, 4\]/);
    const payload = c.compress(x, compressContext({ tensors: TENSORS }));
    expect(() => c.decompress(payload, new Float32Array(LENGTH), compressContext())).toThrow(PayloadError);
    const other = [{ offset: 0, length: 24, shape: [4, 6] }, ...TENSORS.slice(1)];
    expect(() => c.decompress(payload, new Float32Array(LENGTH), compressContext({ tensors: other }))).toThrow(/do not match/);
  });

  it('refuses a non-finite gradient before any collective', async () => {
    const x = seededNormals(LENGTH, 12);
    x[30] = Number.NaN;
    const c = instantiateCompressor(powerSgd({ rank: 2 }));
    const [link] = linkedReduceRanks(1);
    await expect(c.reduce!(x, new Float32Array(LENGTH), new Float32Array(LENGTH), compressContext({ tensors: TENSORS }), link!)).rejects.toThrow(NonFiniteError);
  });
});

/**
 * Tensors for the contract suite's buffers of any length: a `[k, 3]` kernel, a bias, and the last
 * element left uncovered (buffers of fewer than 4 elements: a bias only).
 */
function contractTensors(n: number): CompressTensor[] {
  const k = Math.floor(n / 4);
  const tensors: CompressTensor[] = k > 0 ? [{ offset: 0, length: 3 * k, shape: [k, 3] }] : [];
  const bias = n - 3 * k - 1;
  if (bias > 0) tensors.push({ offset: 3 * k, length: bias, shape: [bias] });
  return tensors;
}

describe('powerSgd per tensor passes the compressor contract', () => {
  // estimateRatio sees only a length (the whole-buffer view), so it is not exact per tensor.
  for (const c of compressorContract(powerSgd({ rank: 2 }), { tensors: contractTensors, ratioIsExact: false })) it(c.name, c.run);
});
