import type { Transport } from '@syncopate/core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { collectiveProperties } from './testing/index.js';

// The property suite of properties.test.ts on real MPI ranks, one process each:
//   npm run test:mpi   (mpirun -np 4, see package.json and vitest.mpi.config.ts)
//
// The MPI transport comes from the module named by SYNCOPATE_MPI_TRANSPORT (the test:mpi script
// sets it to @syncopate/transport-mpi), loaded at run time: plugin packages depend on core only,
// so this package names no transport in its code; the runner injects one.
const SEED = 20261123;
let transport: Transport;

beforeAll(async () => {
  const specifier = process.env.SYNCOPATE_MPI_TRANSPORT;
  if (!specifier) throw new Error('SYNCOPATE_MPI_TRANSPORT is not set: run this suite with `npm run test:mpi`');
  const module = (await import(specifier)) as { mpiTransport: (options?: { timeoutMs?: number }) => Promise<Transport> };
  transport = await module.mpiTransport({ timeoutMs: 60_000 });
});

afterAll(async () => {
  await transport?.dispose();
});

describe('collectives on MPI ranks', () => {
  for (const property of collectiveProperties()) {
    it(property.name, () => property.run(transport, SEED + transport.size));
  }
});
