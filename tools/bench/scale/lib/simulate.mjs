// One extrapolated run: a composition on `ranks` ranks of transport-local's simulated α-β network
// with a virtual clock. Two modes:
//
// - `schedule`: the real trainer, real plugins and real collectives exchange the real message
//   sizes, but each rank's model is the MLP-shaped proxy (proxy-model.mjs) and a step's compute is
//   a virtual-clock delay of `computeMs`. Cheap at any rank count; time and bytes only.
// - `training`: exactly what `syncopate train --transport simulated` runs (the cli's `runRank`,
//   a tfjs MLP per rank, Fashion-MNIST), with each step's compute modelled as `computeMs`, so the
//   loss and test accuracy are real. Costs one tfjs model and one data set per rank.
//
// Both time a window of whole steps (the virtual time on rank 0 from the trainer's start to the
// window's last step event) and scale it to an epoch: time per epoch = window time / steps × steps
// per epoch. The schedule window is a few whole averaging periods (COMPOSITIONS[name].window); the
// training window is the whole epoch. The closing average a run does when it ends is outside both.
import { buildPluginSpecs, runRank, validateConfig } from '@syncopate/cli';
import { simulatedNetwork } from '@syncopate/transport-local';
import { createTrainer, momentumSgd, selectBackend } from '@syncopate/trainer';
import { COMPOSITIONS, trainConfig } from './compositions.mjs';
import { mlpLayout, proxyModel } from './proxy-model.mjs';

/** Steps per epoch of one rank (drop-last batches, as the trainer counts them). */
export function stepsPerEpoch(dataset, ranks, batchSize, seed) {
  return dataset.batchesPerEpoch({ rank: 0, size: ranks, batchSize, seed, shuffle: 'global', dropLast: true });
}

function summarize({ name, mode, ranks, network, computeMs, perEpoch, steps, clockAtStep, bytes, syncs, periodTrace, extra }) {
  if (clockAtStep.length < steps) throw new Error(`scale:${name}: ${ranks} ranks emitted ${clockAtStep.length} of ${steps} steps`);
  const windowMs = clockAtStep[steps - 1];
  const stepMs = windowMs / steps;
  const commMs = stepMs - computeMs;
  return {
    composition: name,
    mode,
    ranks,
    network: network.name,
    latencyMs: network.latencyMs,
    bandwidthGbps: network.bandwidthGbps,
    computeMsPerStep: computeMs,
    stepsPerEpoch: perEpoch,
    windowSteps: steps,
    msPerStep: stepMs,
    communicationMsPerStep: commMs,
    epochMs: stepMs * perEpoch,
    bytesPerRankPerStep: bytes / steps,
    bytesPerRankPerEpoch: (bytes / steps) * perEpoch,
    syncsInWindow: syncs,
    ...(periodTrace.length > 0 && { adaptivePeriods: periodTrace }),
    ...extra,
  };
}

/** Rank 0's step events → virtual time at each step's end, bytes sent and syncs in the window. */
function stepRecorder(transport, steps) {
  const clockAtStep = [];
  const periods = [];
  let bytes = 0;
  let syncs = 0;
  let startedAt = 0;
  return {
    start: () => (startedAt = transport.clock.now()),
    onEvent(event) {
      if (event.type !== 'step' || clockAtStep.length >= steps) return;
      clockAtStep.push(transport.clock.now() - startedAt);
      bytes += event.bytesSent;
      if (event.synced) syncs++;
      if (event.traces?.period !== undefined && event.synced) periods.push(event.traces.period);
    },
    result: () => ({ clockAtStep, bytes, syncs, periodTrace: periods }),
  };
}

/**
 * Simulates the communication schedule of composition `name` on `ranks` ranks (proxy model,
 * compute as a virtual delay of `computeMs` per step) and returns the modelled time and bytes per
 * epoch (of `perEpoch` steps when given, else of `dataset`'s steps per epoch at `ranks` ranks).
 */
export async function simulateSchedule({ name, ranks, network, computeMs, dataset, steps = COMPOSITIONS[name]?.window, perEpoch: givenPerEpoch, config: given }) {
  const config = validateConfig(given ?? trainConfig(name, ranks), `scale:${name}`);
  const { batchSize, seed } = config;
  const perEpoch = givenPerEpoch ?? stepsPerEpoch(dataset, ranks, batchSize, seed);
  const layout = mlpLayout(config.model.hidden);
  if (config.model.name !== 'mlp') throw new Error(`scale:${name}: the proxy model is an MLP, the config has '${config.model.name}'`);
  const net = simulatedNetwork({ ranks, latencyMs: network.latencyMs, bandwidthGbps: network.bandwidthGbps });
  const run = await net.run(async (transport, rank) => {
    const inner = proxyModel(layout, { rank, seed });
    const model = {
      ...inner,
      computeGradients: async (batch, gradients) => {
        const report = await inner.computeGradients(batch, gradients);
        await transport.advance(computeMs);
        return report;
      },
    };
    const trainer = createTrainer({
      transport,
      model,
      data: dataset,
      plugins: buildPluginSpecs(config.plugins, `scale:${name}`),
      optimizer: momentumSgd({ momentum: config.optimizer.momentum }),
      lr: config.optimizer.lr,
      batchSize,
      seed,
      shuffle: 'global',
      evaluate: false,
    });
    const recorder = stepRecorder(transport, steps);
    trainer.metrics$.subscribe((event) => recorder.onEvent(event));
    try {
      await trainer.start();
      recorder.start();
      await trainer.fit({ epochs: Math.ceil(steps / perEpoch) + 1, stopAtStep: steps });
      return recorder.result();
    } finally {
      await trainer.dispose();
    }
  });
  const r0 = run.results[0];
  return summarize({ name, mode: 'schedule', ranks, network, computeMs, perEpoch, steps, ...r0, extra: {} });
}

/**
 * Trains composition `name` for `epochs` epoch(s) on `ranks` simulated ranks with tfjs, exactly as
 * `syncopate train --transport simulated` does but with each step's compute modelled as
 * `computeMs`; returns the modelled time and bytes per epoch (from the same window as
 * {@link simulateSchedule}) and rank 0's test loss and accuracy after the run.
 */
export async function simulateTraining({ name, ranks, network, computeMs, backend, epochs = 1, configOverrides = {}, perEpoch }) {
  const raw = trainConfig(name, ranks, { epochs, evaluate: true, ...configOverrides });
  const config = validateConfig(raw, `scale:${name}`);
  const steps = perEpoch * epochs;
  // tfjs has one engine per thread: choose its backend once for all ranks, as `syncopate train` does.
  const chosen = backend ?? (await selectBackend({ prefer: config.backend })).reason;
  const net = simulatedNetwork({ ranks, latencyMs: network.latencyMs, bandwidthGbps: network.bandwidthGbps });
  let recorder;
  const run = await net.run(async (transport, rank) => {
    if (rank === 0) recorder = stepRecorder(transport, steps);
    return runRank(transport, config, {
      backend: chosen,
      sink: (message) => {
        if (message.type === 'start') recorder.start();
        recorder.onEvent(message);
      },
      spendCompute: () => transport.advance(computeMs),
    });
  });
  const r0 = run.results[0];
  return summarize({
    name,
    mode: 'training',
    ranks,
    network,
    computeMs,
    perEpoch,
    steps,
    ...recorder.result(),
    extra: { epochs, totalSyncs: r0.syncCount, testAccuracy: r0.test?.accuracy, testLoss: r0.test?.loss, trainLoss: r0.trainLoss, runMs: run.timeMs },
  });
}
