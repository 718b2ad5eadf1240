import { defineConfig } from 'vitest/config';

/**
 * Multi-process reliability scenarios (tools/reliability/mpi/*.mpi.test.ts): each test starts its
 * own mpirun jobs on the built packages (`npx nx run-many -t build` first) and kills ranks.
 * Run: npx vitest run --config tools/reliability/vitest.config.ts
 */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['mpi/**/*.mpi.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
