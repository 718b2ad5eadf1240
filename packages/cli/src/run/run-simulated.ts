/**
 * `--transport simulated`: every rank in this thread on transport-local's simulated network, with
 * the α-β cost model and a virtual clock. Compute really runs (one rank after another), and each
 * rank's clock is advanced by the compute time it measured (or by a fixed `computeMs`), so the
 * reported time is what the run would take with one core per rank on the modelled network.
 */
import { simulatedNetwork } from '@syncopate/transport-local';
import { selectBackend } from '@syncopate/trainer';
import type { TrainConfig } from '../config/train-config.js';
import { runRank } from './rank-program.js';
import type { RankResult, RunMessage } from './run-messages.js';

/** What a simulated run returns: every rank's result and the modelled wall time. */
export interface SimulatedResults {
  readonly results: RankResult[];
  readonly modelledMs: number;
}

/** Train `config` on a simulated network of `config.ranks` ranks in this thread. */
export async function runSimulatedNetwork(config: TrainConfig, onMessage: (message: RunMessage) => void): Promise<SimulatedResults> {
  const transport = config.transport;
  if (transport.kind !== 'simulated') throw new Error('runSimulatedNetwork needs a simulated transport config');
  // tfjs has one engine per thread: choose its backend once for all ranks.
  const backend = config.model.name === 'linear' ? undefined : (await selectBackend({ prefer: config.backend })).reason;
  const network = simulatedNetwork({
    ranks: config.ranks,
    latencyMs: transport.latencyMs,
    ...(transport.bandwidthGbps !== undefined && { bandwidthGbps: transport.bandwidthGbps }),
  });
  const fixed = transport.computeMs;
  const run = await network.run((t) =>
    runRank(t, config, {
      sink: onMessage,
      ...(backend !== undefined && { backend }),
      spendCompute: (measured) => t.advance(fixed === 'measured' ? measured : fixed),
    }),
  );
  return { results: run.results, modelledMs: run.timeMs };
}
