import { compressContext, instantiateCompressor, linkedReduceRanks, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { ERROR_FEEDBACK_CAPABILITY } from '../capabilities.js';
import { matrixShape } from '../internal/low-rank.js';
import { powerSgd } from './power-sgd.js';

/** A flat buffer holding Σ σ_t u_t v_tᵀ on the rows × cols view of `length` elements. */
function lowRank(length: number, sigmas: number[], seed: number): Float32Array {
  const { rows, cols } = matrixShape(length);
  const x = new Float32Array(length);
  sigmas.forEach((sigma, t) => {
    const u = seededNormals(rows, seed + 2 * t);
    const v = seededNormals(cols, seed + 2 * t + 1);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols && i * cols + j < length; j++) x[i * cols + j] += sigma * u[i]! * v[j]!;
  });
  return x;
}

function squaredError(a: Float32Array, b: Float32Array): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e += (a[i]! - b[i]!) ** 2;
  return e;
}

describe('powerSgd', () => {
  it('recovers a rank-r matrix exactly in one round', () => {
    const x = lowRank(900, [3, 1], 1);
    const c = instantiateCompressor(powerSgd({ rank: 2 }));
    const out = new Float32Array(x.length);
    c.decompress(c.compress(x, compressContext()), out, compressContext());
    expect(squaredError(out, x)).toBeLessThan(1e-8 * squaredError(x, new Float32Array(x.length)));
  });

  it('converges to the best rank-1 approximation over warm-started rounds (power iteration)', () => {
    const x = lowRank(1024, [10, 3], 2);
    const c = instantiateCompressor(powerSgd({ rank: 1 }));
    const out = new Float32Array(x.length);
    const errors: number[] = [];
    for (let step = 0; step < 8; step++) {
      const ctx = compressContext({ step });
      c.decompress(c.compress(x, ctx), out, ctx);
      errors.push(squaredError(out, x));
    }
    // The best rank-1 error is the second term's energy.
    const best = squaredError(lowRank(1024, [0, 3], 2), new Float32Array(1024));
    expect(errors.at(-1)!).toBeLessThan(best * 1.001);
    expect(errors.at(-1)!).toBeLessThanOrEqual(errors[0]!);
  });

  it('on 4 ranks, reduces through two allreduces of P and Q to the same result everywhere, and warm-starts from the summed Q', async () => {
    const links = linkedReduceRanks(4);
    const compressors = links.map(() => instantiateCompressor(powerSgd({ rank: 2 })));
    const inputs = links.map((_, r) => lowRank(400, [2, 1], 10 + r));
    const run = (step: number) =>
      Promise.all(
        links.map(async (link, r) => {
          const out = new Float32Array(400);
          await compressors[r]!.reduce!(inputs[r]!, out, new Float32Array(400), compressContext({ step, rank: r, size: 4 }), link);
          return out;
        }),
      );
    await run(0);
    const second = await run(1);
    for (const out of second) expect(out).toEqual(second[0]);
    const states = compressors.map((c) => c.snapshot!());
    for (const s of states) expect(s).toEqual(states[0]);
  });

  it('sends (rows + cols)·r floats and requires error feedback unless told not to', () => {
    const { rows, cols } = matrixShape(10_000);
    expect(instantiateCompressor(powerSgd({ rank: 4 })).wireBytes(new Float32Array(10_000), compressContext())).toBe(16 + 12 + 4 * (rows + cols) * 4);
    expect(powerSgd().requires?.map((r) => r.capability)).toContain(ERROR_FEEDBACK_CAPABILITY);
    expect(powerSgd({ errorFeedback: false }).requires?.map((r) => r.capability)).not.toContain(ERROR_FEEDBACK_CAPABILITY);
  });
});
