import { runSimulated } from '@syncopate/transport-local';
import { describe, it } from 'vitest';
import { collectiveProperties } from './testing/index.js';

// The whole property suite (see testing/collective-properties.ts for each property and the float
// tolerance) on 1…8 simulated ranks. The same suite runs under `mpirun -np 4` in
// collectives.mpi.test.ts.
const SEED = 20261123;

describe.each([1, 2, 3, 4, 5, 6, 7, 8])('on %i simulated ranks', (n) => {
  it.each(collectiveProperties().map((p) => [p.name, p] as const))('%s', async (_name, property) => {
    await runSimulated({ ranks: n, timeoutMs: 60_000 }, (t) => property.run(t, SEED + n));
  });
});
