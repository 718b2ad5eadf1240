/**
 * The transport contract in both local modes of @syncopate/transport-local, with 1, 2, 3, 4 and
 * 7 ranks. The thread mode runs every rank in a worker thread (test/fixtures/transport-contract-rank.mjs).
 */
import { runSimulated, runThreads } from '@syncopate/transport-local';
import { beforeAll, describe, it } from 'vitest';
import { ensureBuilt } from '../../test/ensure-built.js';
import { describeTransportContract } from './describe-transport-contract.js';
import { runTransportContract, type TransportContractReport } from './transport-contract.js';

const RANKS = [1, 2, 3, 4, 7];

beforeAll(() => ensureBuilt('core', 'transport-local', 'testing'), 120_000);

describeTransportContract(
  { describe, it, beforeAll },
  {
    name: 'local-simulated',
    ranks: RANKS,
    run: async (size) => (await runSimulated({ ranks: size, latencyMs: 0.05, bandwidthGbps: 10 }, (t) => runTransportContract(t))).results,
  },
);

describeTransportContract(
  { describe, it, beforeAll },
  {
    name: 'local-threads',
    ranks: RANKS,
    run: (size) =>
      runThreads<TransportContractReport>({
        ranks: size,
        module: new URL('../../test/fixtures/transport-contract-rank.mjs', import.meta.url),
        exportName: 'contract',
        args: { timeoutMs: 10_000 },
        timeoutMs: 60_000,
      }),
  },
);
