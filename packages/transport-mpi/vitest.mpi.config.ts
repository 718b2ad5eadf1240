import { packageConfig } from '../../vitest.shared.js';

/** The MPI tests (`npm run test:mpi`): each launches `mpirun`, so they run one file at a time. */
export default packageConfig({
  include: ['test/**/*.mpi.test.ts'],
  exclude: ['**/node_modules/**', '**/dist/**'],
  testTimeout: 120_000,
  hookTimeout: 180_000,
  fileParallelism: false,
});
