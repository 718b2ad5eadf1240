import { LayoutMismatchError, OptionError, type Batch } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { leastSquares } from './least-squares.js';
import type { SyntheticProblem } from './synthetic-problem.js';

/** The whole training set as one batch. */
function fullBatch(problem: SyntheticProblem): Batch {
  const n = problem.dataset.trainSize;
  return [...problem.dataset.trainBatches(0, { rank: 0, size: 1, batchSize: n, seed: 0, shuffle: 'fixed' })][0]!;
}

/** Solve the normal equations by Gauss–Jordan elimination with partial pivoting (independent of the package's Cholesky). */
function normalEquations(batch: Batch, d: number): number[] {
  const m = d + 1;
  const a = Array.from({ length: m }, () => new Array(m + 1).fill(0));
  for (let i = 0; i < batch.size; i++) {
    const x = [...batch.inputs.subarray(i * d, (i + 1) * d), 1];
    for (let j = 0; j < m; j++) {
      for (let k = 0; k < m; k++) a[j]![k] += x[j]! * x[k]!;
      a[j]![m] += x[j]! * batch.targets![i]!;
    }
  }
  for (let c = 0; c < m; c++) {
    const p = a.reduce((best, row, r) => (r >= c && Math.abs(row[c]!) > Math.abs(a[best]![c]!) ? r : best), c);
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= m; k++) a[r]![k] -= f * a[c]![k]!;
    }
  }
  return a.map((row, r) => row[m]! / row[r]!);
}

describe('leastSquares', () => {
  const d = 8;
  const noise = 0.5;
  const problem = leastSquares({ samples: 2048, features: d, noise, seed: 7 });

  it('has exact analytic gradients (central finite differences agree to 1e-5)', async () => {
    const model = problem.createModel();
    const batch = [...problem.dataset.trainBatches(0, { rank: 0, size: 1, batchSize: 64, seed: 1, shuffle: 'global' })][0]!;
    const theta = Float32Array.from({ length: d + 1 }, (_, j) => Math.sin(j + 1));
    model.writeParameters(theta);
    const gradient = new Float32Array(d + 1);
    await model.computeGradients(batch, gradient);
    const scratch = new Float32Array(d + 1);
    for (let j = 0; j <= d; j++) {
      const plus = theta.slice();
      const minus = theta.slice();
      plus[j]! += 1e-2;
      minus[j]! -= 1e-2;
      model.writeParameters(plus);
      const up = (await model.computeGradients(batch, scratch)).loss;
      model.writeParameters(minus);
      const down = (await model.computeGradients(batch, scratch)).loss;
      // The loss is quadratic, so the central difference is exact up to rounding.
      const finite = (up - down) / (plus[j]! - minus[j]!);
      expect(Math.abs(finite - gradient[j]!)).toBeLessThan(1e-5 * (1 + Math.abs(finite)));
    }
  });

  it('knows its optimum: the normal-equations solution, where the full gradient vanishes', async () => {
    const optimum = problem.optimum;
    const reference = normalEquations(fullBatch(problem), d);
    for (let j = 0; j <= d; j++) expect(optimum[j]).toBeCloseTo(reference[j]!, 5);
    const model = problem.createModel();
    model.writeParameters(optimum);
    const gradient = new Float32Array(d + 1);
    const { loss } = await model.computeGradients(fullBatch(problem), gradient);
    expect(Math.max(...gradient.map(Math.abs))).toBeLessThan(1e-5);
    expect(loss).toBeCloseTo(problem.optimalLoss, 9);
    expect(problem.objective(optimum)).toBeCloseTo(problem.optimalLoss, 12);
  });

  it('has the optimal loss the noise predicts: 2·F(θ★)/σ² ~ χ²(n−d−1)/n, within 3 standard deviations', () => {
    const n = 2048;
    const ratio = (2 * problem.optimalLoss) / (noise * noise);
    const mean = (n - d - 1) / n;
    const sd = Math.sqrt(2 * (n - d - 1)) / n;
    expect(Math.abs(ratio - mean)).toBeLessThan(3 * sd);
  });

  it('is a minimum: every perturbation and the generating parameters score worse', () => {
    const optimum = problem.optimum;
    expect(problem.objective(problem.generatingParameters)).toBeGreaterThan(problem.optimalLoss);
    for (let j = 0; j <= d; j++) {
      for (const step of [-1e-2, 1e-2]) {
        const moved = optimum.slice();
        moved[j]! += step;
        expect(problem.objective(moved)).toBeGreaterThan(problem.optimalLoss);
      }
    }
  });

  it('lets minibatch SGD converge to the optimum (gap below 1e-3 after 4 epochs)', async () => {
    const model = problem.createModel();
    const theta = model.layout.allocate();
    const gradient = model.layout.allocate();
    const start = problem.objective(theta) - problem.optimalLoss;
    for (let epoch = 0; epoch < 4; epoch++) {
      const lr = 0.1 / (1 + epoch);
      for (const batch of problem.dataset.trainBatches(epoch, { rank: 0, size: 1, batchSize: 32, seed: 3, shuffle: 'global' })) {
        await model.computeGradients(batch, gradient);
        model.readParameters(theta);
        for (let j = 0; j < theta.length; j++) theta[j]! -= lr * gradient[j]!;
        model.writeParameters(theta);
      }
    }
    const gap = problem.objective(theta) - problem.optimalLoss;
    expect(start).toBeGreaterThan(1);
    expect(gap).toBeLessThan(1e-3);
  });

  it('is deterministic in its seed', () => {
    const first = (p: SyntheticProblem) => [...p.dataset.testBatches(4)][0]!;
    const again = leastSquares({ samples: 2048, features: d, noise, seed: 7 });
    const other = leastSquares({ samples: 2048, features: d, noise, seed: 8 });
    expect(first(again)).toEqual(first(problem));
    expect(first(other).inputs).not.toEqual(first(problem).inputs);
    expect(problem.dataset).toMatchObject({ name: 'leastSquares', inputShape: [d], trainSize: 2048, testSize: 512 });
    expect(problem.dataset.numClasses).toBeUndefined();
  });

  it('evaluates held-out batches as summed squared-error halves', async () => {
    const model = problem.createModel();
    model.writeParameters(problem.optimum);
    let lossSum = 0;
    let count = 0;
    for (const batch of problem.dataset.testBatches(100)) {
      const report = await model.evaluate(batch);
      lossSum += report.lossSum;
      count += report.count;
      expect(report.correct).toBe(0);
    }
    expect(count).toBe(512);
    // Held-out error of the least-squares fit ≈ σ²/2 (1 + (d+1)/n) — within 15 %.
    expect(lossSum / count / (noise * noise * 0.5)).toBeGreaterThan(0.85);
    expect(lossSum / count / (noise * noise * 0.5)).toBeLessThan(1.15);
  });

  it('keeps parameters private to each model and checks buffer lengths', () => {
    const a = problem.createModel();
    const b = problem.createModel();
    expect(a.layout.describe()).toBe('weights:[8];bias:[1]');
    const theta = Float32Array.from({ length: d + 1 }, (_, j) => j);
    a.writeParameters(theta);
    theta.fill(-1);
    const read = new Float32Array(d + 1);
    a.readParameters(read);
    expect([...read]).toEqual([...Array(d + 1).keys()]);
    b.readParameters(read);
    expect([...read]).toEqual(new Array(d + 1).fill(0));
    expect(() => a.writeParameters(new Float32Array(3))).toThrow(LayoutMismatchError);
    expect(() => problem.objective(new Float32Array(3))).toThrow(LayoutMismatchError);
  });

  it('rejects bad options and batches', async () => {
    expect(() => leastSquares({ samples: 5, features: 8 })).toThrow(/leastSquares: option 'samples' must be an integer >= 10/);
    expect(() => leastSquares({ samples: 100, features: 0 })).toThrow(/option 'features'/);
    expect(() => leastSquares({ samples: 100, features: 2, noise: -1 })).toThrow(/option 'noise'/);
    expect(() => leastSquares({ samples: 100, features: 2, nosie: 1 } as never)).toThrow(/did you mean 'noise'/);
    const model = problem.createModel();
    const batch: Batch = { size: 2, inputs: new Float32Array(2 * d), labels: Int32Array.of(0, 1) };
    await expect(model.computeGradients(batch, model.layout.allocate())).rejects.toThrow(OptionError);
    await expect(model.computeGradients(batch, model.layout.allocate())).rejects.toThrow(/batch.targets' must hold 2 values, got none/);
  });
});
