/**
 * `--transport mpi`, inside one rank started by `mpirun`: this process's MPI transport, the rank
 * program, then every rank's result gathered to rank 0, which prints the summary.
 */
import type { Transport } from '@syncopate/core';
import { describeError } from '../cli-error.js';
import type { TrainConfig } from '../config/train-config.js';
import type { RunReporter, RunOutcome } from '../report/run-reporter.js';
import { runRank } from './rank-program.js';
import type { RankResult } from './run-messages.js';

async function gatherResults(transport: Transport, mine: RankResult): Promise<RankResult[]> {
  const allgather = transport.collectives.allgather;
  if (!allgather || transport.size === 1) return [mine];
  const parts = await allgather.call(transport.collectives, new TextEncoder().encode(JSON.stringify(mine)));
  const decoder = new TextDecoder();
  return parts.map((bytes) => JSON.parse(decoder.decode(bytes)) as RankResult);
}

/**
 * Run this MPI rank. `reporter` is made on rank 0 only (it prints); returns rank 0's outcome,
 * `undefined` on the other ranks.
 */
export async function runMpiRank(config: TrainConfig, makeReporter: () => RunReporter, started: number): Promise<RunOutcome | undefined> {
  if (config.transport.kind !== 'mpi') throw new Error('runMpiRank needs an mpi transport config');
  const { mpiTransport } = await import('@syncopate/transport-mpi');
  const transport = await mpiTransport({ timeoutMs: config.transport.timeoutMs });
  try {
    const reporter = transport.rank === 0 ? makeReporter() : undefined;
    try {
      const result = await runRank(transport, config, reporter ? { sink: (message) => reporter.handle(message) } : {});
      const results = await gatherResults(transport, result);
      return reporter?.finish({ results, wallMs: performance.now() - started });
    } catch (error) {
      reporter?.abandon();
      // The other ranks may be waiting for this one inside a collective: end the whole job
      // (MPI_Abort, after one line naming this rank) rather than let them wait for the deadline.
      if (transport.size > 1) transport.abort(describeError(error).message.split('\n')[0]!.replace(/^syncopate: /, ''));
      throw error;
    }
  } finally {
    await transport.dispose();
  }
}
