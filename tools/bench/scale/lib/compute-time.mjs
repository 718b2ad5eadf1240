// Compute time per step, measured once on this machine and fed to the model as a virtual-clock
// delay: one rank trains the tfjs MLP on Fashion-MNIST through the cli's own rank program
// (`runRank`, the same path as `syncopate train`, on a 1-rank network where communication is
// free), and the process CPU time of every whole step is recorded: batch assembly, tfjs forward
// and backward, gradient copy-out, the flat optimizer update, the trainer's bookkeeping. CPU time,
// not wall time, because the model assumes one core per rank: on this shared 2-core machine the
// wall time of a step is inflated by every other job (×8 at load 25), its CPU time hardly.
import { readFileSync } from 'node:fs';
import { runRank, validateConfig } from '@syncopate/cli';
import { simulatedNetwork } from '@syncopate/transport-local';
import { trainConfig } from './compositions.mjs';

/** The 1-, 5- and 15-minute load averages (Linux), or undefined elsewhere. */
export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return undefined;
  }
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Times `steps` training steps of full SGD's config (its model, batch size and optimizer) on one
 * rank after `warmup` untimed ones; returns the
 * median CPU ms per step (the figure the model uses), its 10th and 90th percentiles, the median
 * wall time of the forward + backward alone, and the load average.
 */
export async function measureComputeMs({ steps = 100, warmup = 5, backend } = {}) {
  const base = trainConfig('bsp', 1);
  const batchSize = base.batchSize;
  const examples = batchSize * (steps + warmup + 1);
  const config = validateConfig({ ...base, data: { ...base.data, trainExamples: examples, testExamples: 0 } }, 'scale:compute');
  const samples = [];
  const wall = [];
  const loadBefore = loadAverage();
  const net = simulatedNetwork({ ranks: 1 });
  let last;
  await net.run((transport) =>
    runRank(transport, config, {
      ...(backend !== undefined && { backend }),
      // Called once per step, right after the forward + backward: the CPU time between two calls
      // is one whole step.
      spendCompute: async (measured) => {
        const now = process.cpuUsage();
        if (last) samples.push((now.user - last.user + now.system - last.system) / 1000);
        last = now;
        wall.push(measured);
      },
    }),
  );
  const timed = samples.slice(warmup);
  const wallSorted = wall.slice(warmup).sort((a, b) => a - b);
  const sorted = [...timed].sort((a, b) => a - b);
  return {
    medianMs: quantile(sorted, 0.5),
    p10Ms: quantile(sorted, 0.1),
    p90Ms: quantile(sorted, 0.9),
    wallForwardBackwardMedianMs: quantile(wallSorted, 0.5),
    steps: timed.length,
    batchSize,
    loadAverage: { before: loadBefore, after: loadAverage() },
    how: 'median process CPU time of one whole training step (batch, tfjs forward + backward, gradient copy, flat momentum-SGD update) of one rank training the MLP alone, wasm backend',
  };
}
