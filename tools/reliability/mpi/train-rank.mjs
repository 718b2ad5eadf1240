// One rank of a reliability scenario under mpirun, on the built packages (dist/).
//   node train-rank.mjs <dir> <killRank> <killAfterStep> <deadlineMs> [resume]
// Trains BSP + top-k with error feedback + momentum on a least-squares problem, checkpointing every
// CHECKPOINT_EVERY steps to <dir>/rank-R-step-S.ckpt (the trainer's coordinated checkpoints). Rank
// <killRank> SIGKILLs itself right after step <killAfterStep> (-1: nobody dies). With `resume`, the
// ranks agree on the newest step every rank holds intact and restore it. Prints `SYNCOPATE_RESULT {json}` lines: step losses, checkpoints,
// and the error a surviving rank ended with; a rank that fails exits non-zero.
import { setTimeout } from 'node:timers';
import { join } from 'node:path';
import { errorFeedback, topK } from '@syncopate/compression';
import { leastSquares } from '@syncopate/data';
import { bsp } from '@syncopate/sync-policy';
import { CheckpointSeries, createTrainer, momentumSgd } from '@syncopate/trainer';
import { mpiTransport } from '@syncopate/transport-mpi';

const [dir, killRank, killAfterStep, deadlineMs, mode] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]), process.argv[6]];
const EPOCHS = 3;
const CHECKPOINT_EVERY = 4;
const report = (result) => process.stdout.write(`SYNCOPATE_RESULT ${JSON.stringify(result)}\n`);

const transport = await mpiTransport({ timeoutMs: deadlineMs, livenessIntervalMs: 200 });
const rank = transport.rank;
const problem = leastSquares({ samples: 512, features: 16, noise: 0.1, seed: 2 });
const trainer = createTrainer({
  transport,
  model: problem.createModel(),
  data: problem.dataset,
  plugins: [bsp(), topK({ ratio: 0.25 }), errorFeedback()],
  optimizer: momentumSgd({ momentum: 0.8 }),
  batchSize: 16,
  lr: 0.05,
  seed: 7,
  evaluate: false,
});
trainer.metrics$.subscribe((event) => {
  if (event.type !== 'step') return;
  report({ event: 'step', rank, step: event.step, loss: event.loss });
  if (rank === killRank && event.step === killAfterStep) {
    report({ event: 'killed', rank, step: event.step, at: Date.now() });
    process.kill(process.pid, 'SIGKILL');
  }
});

const series = new CheckpointSeries({ path: join(dir, 'rank-{rank}-step-{step}.ckpt'), keep: 2 });
let exitCode = 0;
try {
  if (mode === 'resume') {
    const common = await trainer.resumeFrom(series);
    report({ event: 'restored', rank, step: common });
  }
  for (let stop = trainer.step + CHECKPOINT_EVERY - (trainer.step % CHECKPOINT_EVERY); ; stop += CHECKPOINT_EVERY) {
    const result = await trainer.fit({ epochs: EPOCHS, stopAtStep: stop });
    if (result.completed) break;
    await trainer.saveCheckpoint(series);
    report({ event: 'checkpoint', rank, step: stop });
  }
  report({ event: 'done', rank, parameters: Array.from(trainer.parameters()) });
} catch (error) {
  report({ event: 'error', rank, name: error?.name, code: error?.code, message: error?.message, at: Date.now() });
  process.stderr.write(`[rank ${rank}] ${error?.name}: ${error?.message}\n`);
  exitCode = 1;
  // A lost rank makes dispose end the job with MPI_Abort, which would kill the other survivors
  // before their own peer watch has reported: give them a moment to print their message first.
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
await trainer.dispose();
process.exitCode = exitCode;
await transport.dispose();
