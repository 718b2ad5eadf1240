/**
 * The Transport contract of @syncopate/testing over MpiTransport, under `mpirun -np 2` and
 * `-np 4` (oversubscribed on small machines). One mpirun per rank count runs every scenario;
 * each test then reports one scenario from every rank's report.
 */
import { describeTransportContract, type TransportContractReport } from '@syncopate/testing';
import { beforeAll, describe, it } from 'vitest';
import { ensureBuilt } from './ensure-built.js';
import { runMpi } from './run-mpi.js';

beforeAll(() => ensureBuilt(), 120_000);

describeTransportContract(
  { describe, it, beforeAll },
  {
    name: 'mpi',
    ranks: [2, 4],
    timeoutMs: 120_000,
    run: async (np) => {
      const run = await runMpi(new URL('./mpi/transport-contract-rank.mjs', import.meta.url), [], { np, timeoutMs: 110_000 });
      const reports = (run.results as unknown as TransportContractReport[]).sort((a, b) => a.rank - b.rank);
      if (reports.length !== np || run.code !== 0) {
        throw new Error(`mpirun -np ${np} exited with ${run.code ?? run.signal} after ${reports.length} report(s):\n${run.stderr.slice(-3000)}`);
      }
      return reports;
    },
  },
);
