import { packageConfig } from '../../vitest.shared.js';

// The *.mpi.test.ts suite, one vitest process per MPI rank (see the test:mpi script). Only rank 0
// reports in full and writes the JSON report; the others print dots.
const rank = Number(process.env.OMPI_COMM_WORLD_RANK ?? process.env.PMIX_RANK ?? 0);

export default packageConfig({
  include: ['src/**/*.mpi.test.ts'],
  exclude: ['**/node_modules/**', '**/dist/**'],
  pool: 'forks',
  maxWorkers: 1,
  fileParallelism: false,
  testTimeout: 120_000,
  hookTimeout: 60_000,
  ...(rank === 0 ? {} : { reporters: ['dot'], outputFile: undefined }),
});
