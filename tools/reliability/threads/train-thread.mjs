// One rank of the worker-thread crash scenario (runThreads), on the built packages (dist/).
// Trains local SGD + top-k with error feedback + SlowMo + momentum on a least-squares problem,
// checkpointing every CHECKPOINT_EVERY steps to <dir>/rank-R-step-S.ckpt (the trainer's coordinated
// checkpoints). Rank `dieRank` ends its thread abruptly (process.exit inside a worker: no cleanup,
// no result) right after step `dieAfterStep`. With `resume`, the ranks agree on the newest step
// every rank holds intact and restore it.
import { join } from 'node:path';
import { errorFeedback, topK } from '@syncopate/compression';
import { leastSquares } from '@syncopate/data';
import { slowMo } from '@syncopate/momentum';
import { localSgd } from '@syncopate/sync-policy';
import { CheckpointSeries, createTrainer, momentumSgd } from '@syncopate/trainer';

const EPOCHS = 3;
const CHECKPOINT_EVERY = 5;

export default async function trainThread(transport, { dir, dieRank, dieAfterStep, resume }) {
  const rank = transport.rank;
  const problem = leastSquares({ samples: 512, features: 16, noise: 0.1, seed: 2 });
  const trainer = createTrainer({
    transport,
    model: problem.createModel(),
    data: problem.dataset,
    plugins: [localSgd({ period: 2 }), topK({ ratio: 0.25 }), errorFeedback(), slowMo({ beta: 0.5 })],
    optimizer: momentumSgd({ momentum: 0.8 }),
    batchSize: 16,
    lr: 0.05,
    seed: 9,
    evaluate: false,
  });
  const steps = [];
  trainer.metrics$.subscribe((event) => {
    if (event.type !== 'step') return;
    steps.push([event.step, event.loss]);
    if (rank === dieRank && event.step === dieAfterStep) process.exit(1);
  });
  const series = new CheckpointSeries({ path: join(dir, 'rank-{rank}-step-{step}.ckpt'), keep: 2 });
  try {
    if (resume) await trainer.resumeFrom(series);
    for (let stop = trainer.step + CHECKPOINT_EVERY - (trainer.step % CHECKPOINT_EVERY); ; stop += CHECKPOINT_EVERY) {
      const result = await trainer.fit({ epochs: EPOCHS, stopAtStep: stop });
      if (result.completed) break;
      await trainer.saveCheckpoint(series);
    }
    return { steps, parameters: Array.from(trainer.parameters()) };
  } finally {
    await trainer.dispose();
  }
}
