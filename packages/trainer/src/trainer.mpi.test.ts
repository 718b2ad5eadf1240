/**
 * The trainer on real MPI ranks, one process each: `npm run test:mpi` (mpirun -np 4, see
 * package.json and vitest.mpi.config.ts). Every rank runs every test; each asserts what it can
 * see and gathers the others' parameters through MPI to check they agree.
 */
import * as tf from '@tensorflow/tfjs';
import { LayoutMismatchError, type Transport } from '@syncopate/core';
import { leastSquares, logisticRegression } from '@syncopate/data';
import { slowMo } from '@syncopate/momentum';
import { bsp, localSgd } from '@syncopate/sync-policy';
import { mpiTransport } from '@syncopate/transport-mpi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrainer } from './create-trainer.js';
import { tfjsModel } from './model/tfjs-model.js';
import { momentumSgd } from './optimizers/momentum-sgd.js';

let transport: Transport;

beforeAll(async () => {
  transport = await mpiTransport({ timeoutMs: 60_000 });
  await tf.setBackend('cpu');
});

afterAll(async () => {
  await transport?.dispose();
});

/** Every rank's copy of `parameters`, gathered over MPI. */
async function gathered(parameters: Float32Array): Promise<Float32Array[]> {
  const parts = await transport.collectives.allgather!(new Uint8Array(parameters.buffer, parameters.byteOffset, parameters.byteLength));
  return parts.map((bytes) => new Float32Array(bytes.slice().buffer));
}

describe('trainer on MPI ranks', () => {
  it('BSP trains a short run and every rank ends with identical parameters', async () => {
    const problem = leastSquares({ samples: 512, features: 16, seed: 2 });
    const trainer = createTrainer({ transport, model: problem.createModel(), data: problem.dataset, plugins: [bsp()], batchSize: 16, lr: 0.05, optimizer: momentumSgd({ momentum: 0.5 }) });
    const start = problem.objective(problem.layout.allocate()) - problem.optimalLoss;
    const result = await trainer.fit({ epochs: 3 });
    const parameters = trainer.parameters();
    expect(result).toMatchObject({ steps: 24, completed: true, syncCount: 24 });
    for (const other of await gathered(parameters)) expect(other).toEqual(parameters);
    expect(problem.objective(parameters) - problem.optimalLoss).toBeLessThan(0.05 * start);
    await trainer.dispose();
  });

  it('local SGD + SlowMo with a tfjs model ends with identical weights on every rank', async () => {
    const problem = logisticRegression({ samples: 512, features: 6, seed: 4 });
    const net = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [6], units: 8, activation: 'relu' }), tf.layers.dense({ units: 2 })],
    });
    const trainer = createTrainer({
      transport,
      model: tfjsModel(net, { loss: 'softmaxCrossEntropy' }),
      data: problem.dataset,
      plugins: [localSgd({ period: 4 }), slowMo({ beta: 0.5 })],
      optimizer: momentumSgd({ momentum: 0.9 }),
      batchSize: 16,
      lr: 0.05,
    });
    await trainer.fit({ epochs: 2 });
    const weights = Float32Array.from(net.getWeights().flatMap((w) => Array.from(w.dataSync())));
    for (const other of await gathered(weights)) expect(other).toEqual(weights);
    expect((await trainer.evaluate()).accuracy).toBeGreaterThan(0.6);
    await trainer.dispose();
  });

  it('refuses to start on every rank when one rank composes differently', async () => {
    const problem = leastSquares({ samples: 128, features: 4, seed: 1 });
    const period = transport.rank === transport.size - 1 ? 3 : 6;
    const trainer = createTrainer({ transport, model: problem.createModel(), data: problem.dataset, plugins: [localSgd({ period })] });
    const failure = trainer.fit({ epochs: 1 });
    await expect(failure).rejects.toThrow(LayoutMismatchError);
    await expect(failure).rejects.toThrow(`rank ${transport.size - 1} differs from rank 0`);
    await trainer.dispose();
  });
});
