import type { Batch } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { logisticRegression } from './logistic-regression.js';
import type { SyntheticProblem } from './synthetic-problem.js';

function fullBatch(problem: SyntheticProblem): Batch {
  const n = problem.dataset.trainSize;
  return [...problem.dataset.trainBatches(0, { rank: 0, size: 1, batchSize: n, seed: 0, shuffle: 'fixed' })][0]!;
}

describe('logisticRegression', () => {
  const d = 6;
  const problem = logisticRegression({ samples: 4096, features: d, seed: 11 });

  it('has exact analytic gradients, penalty included (central differences agree to 1e-5)', async () => {
    const model = problem.createModel();
    const batch = [...problem.dataset.trainBatches(0, { rank: 0, size: 1, batchSize: 64, seed: 1, shuffle: 'global' })][0]!;
    const theta = Float32Array.from({ length: d + 1 }, (_, j) => 0.5 * Math.cos(j + 1));
    model.writeParameters(theta);
    const gradient = new Float32Array(d + 1);
    await model.computeGradients(batch, gradient);
    const scratch = new Float32Array(d + 1);
    for (let j = 0; j <= d; j++) {
      const plus = theta.slice();
      const minus = theta.slice();
      plus[j]! += 1e-3;
      minus[j]! -= 1e-3;
      model.writeParameters(plus);
      const up = (await model.computeGradients(batch, scratch)).loss;
      model.writeParameters(minus);
      const down = (await model.computeGradients(batch, scratch)).loss;
      // Central differences err by O(h²)·F‴ ≈ 1e-7 here.
      const finite = (up - down) / (plus[j]! - minus[j]!);
      expect(Math.abs(finite - gradient[j]!)).toBeLessThan(1e-5);
    }
  });

  it('scores log 2 at θ = 0 (σ(0) = ½ for every example)', () => {
    expect(problem.objective(problem.createModel().layout.allocate())).toBeCloseTo(Math.LN2, 12);
  });

  it('knows its optimum: the full gradient vanishes there and every perturbation scores worse', async () => {
    const optimum = problem.optimum;
    const model = problem.createModel();
    model.writeParameters(optimum);
    const gradient = new Float32Array(d + 1);
    const { loss } = await model.computeGradients(fullBatch(problem), gradient);
    expect(Math.max(...gradient.map(Math.abs))).toBeLessThan(1e-6);
    expect(loss).toBeCloseTo(problem.optimalLoss, 9);
    for (let j = 0; j <= d; j++) {
      for (const step of [-1e-2, 1e-2]) {
        const moved = optimum.slice();
        moved[j]! += step;
        expect(problem.objective(moved)).toBeGreaterThan(problem.optimalLoss);
      }
    }
  });

  it('recovers the generating direction (maximum likelihood is consistent): cosine > 0.97 at n = 4096', () => {
    const w = problem.optimum.subarray(0, d);
    const g = problem.generatingParameters.subarray(0, d);
    const dot = w.reduce((s, v, j) => s + v * g[j]!, 0);
    const cosine = dot / Math.hypot(...w) / Math.hypot(...g);
    expect(cosine).toBeGreaterThan(0.97);
  });

  it('classifies held-out data about as well as the generating model does', async () => {
    const fitted = problem.createModel();
    fitted.writeParameters(problem.optimum);
    const truth = problem.createModel();
    truth.writeParameters(problem.generatingParameters);
    let fittedCorrect = 0;
    let truthCorrect = 0;
    let count = 0;
    for (const batch of problem.dataset.testBatches(256)) {
      fittedCorrect += (await fitted.evaluate(batch)).correct;
      truthCorrect += (await truth.evaluate(batch)).correct;
      count += batch.size;
    }
    expect(count).toBe(1024);
    expect(truthCorrect / count).toBeGreaterThan(0.6);
    expect(Math.abs(fittedCorrect - truthCorrect) / count).toBeLessThan(0.03);
  });

  it('lets minibatch SGD converge to the optimum (gap below 2e-3 after 5 epochs)', async () => {
    const model = problem.createModel();
    const theta = model.layout.allocate();
    const gradient = model.layout.allocate();
    for (let epoch = 0; epoch < 5; epoch++) {
      for (const batch of problem.dataset.trainBatches(epoch, { rank: 0, size: 1, batchSize: 32, seed: 3, shuffle: 'global' })) {
        const report = await model.computeGradients(batch, gradient);
        expect(report.accuracy).toBeGreaterThanOrEqual(0);
        for (let j = 0; j < theta.length; j++) theta[j]! -= (0.5 / (1 + epoch)) * gradient[j]!;
        model.writeParameters(theta);
      }
    }
    expect(problem.objective(theta) - problem.optimalLoss).toBeLessThan(2e-3);
  });

  it('labels are class indices 0/1 of a 2-class data set', () => {
    expect(problem.dataset).toMatchObject({ name: 'logisticRegression', inputShape: [d], numClasses: 2, trainSize: 4096 });
    const labels = fullBatch(problem).labels!;
    const ones = labels.reduce((a, b) => a + b, 0);
    expect(labels.every((y) => y === 0 || y === 1)).toBe(true);
    expect(ones).toBeGreaterThan(0);
    expect(ones).toBeLessThan(4096);
  });

  it('says when separable data without a penalty has no minimiser, and validates options', () => {
    const separable = logisticRegression({ samples: 12, features: 10, l2: 0, seed: 1 });
    expect(() => separable.optimum).toThrow(/logisticRegression: option 'samples' 12 samples of 10 features give no unique minimiser \(the classes are separable: set l2 > 0/);
    // The same points with a penalty have a unique minimiser.
    expect(logisticRegression({ samples: 12, features: 10, l2: 0.1, seed: 1 }).optimum).toHaveLength(11);
    expect(() => logisticRegression({ samples: 100, features: 2, l2: -1 })).toThrow(/option 'l2' must be a finite number >= 0/);
    expect(() => logisticRegression({ samples: 3, features: 2 })).toThrow(/option 'samples'/);
  });
});
