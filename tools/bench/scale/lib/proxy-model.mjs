// A stand-in for the Fashion-MNIST MLP that has its exact parameter layout (so every exchange
// moves the real message sizes through the real plugins) but costs a memory copy per gradient.
// Used to simulate the communication schedule at 16–256 ranks, where one tfjs model per rank would
// take minutes and gigabytes; the compute time of a step is modelled separately (a virtual-clock
// delay, measured once with tfjs).
import { ParamLayout, createRng } from '@syncopate/core';

/** The parameter layout of the MLP 784-hidden…-10 that `syncopate train` builds (kernel then bias, layer by layer). */
export function mlpLayout(hidden = [256], inputs = 784, classes = 10) {
  const widths = [inputs, ...hidden, classes];
  const specs = [];
  for (let l = 1; l < widths.length; l++) {
    specs.push({ name: `dense_${l}/kernel`, shape: [widths[l - 1], widths[l]] });
    specs.push({ name: `dense_${l}/bias`, shape: [widths[l]] });
  }
  return ParamLayout.of(specs);
}

// Read-only noise tables shared by every rank of a process (256 ranks would otherwise draw and hold
// 256 copies of the same table).
const tables = new Map();

function noiseTable(length, seed, sigma) {
  const key = `${length}/${seed}/${sigma}`;
  let table = tables.get(key);
  if (!table) {
    table = new Float32Array(length);
    const rng = createRng({ seed, rank: 0, step: 0, stream: 'scale/proxy-gradient' });
    for (let i = 0; i < length; i++) table[i] = sigma * rng.nextNormal();
    tables.set(key, table);
  }
  return table;
}

/**
 * A `TrainableModel` with `layout` whose gradient on rank `rank` at its t-th call is a window of
 * a seeded table of normal noise (σ = `sigma`) starting at offset 131·rank + 17·t: each rank's
 * gradients differ and change every step, so replicas drift apart between averagings (a random
 * walk, variance growing with the period, as local SGD replicas do) and variance-driven policies
 * (ADPSGD) see a spread. The values carry no learning signal: this model is for time and bytes.
 */
export function proxyModel(layout, { rank, seed = 1, sigma = 0.01 }) {
  const length = layout.totalLength;
  const table = noiseTable(2 * length, seed, sigma);
  const theta = layout.allocate();
  let calls = 0;
  return {
    layout,
    readParameters: (into) => into.set(theta),
    writeParameters: (from) => theta.set(from),
    async computeGradients(_batch, gradients) {
      const shift = (131 * rank + 17 * calls++) % length;
      gradients.set(table.subarray(shift, shift + length));
      return { loss: 0 };
    },
    async evaluate(batch) {
      return { lossSum: 0, correct: 0, count: batch.size };
    },
  };
}
