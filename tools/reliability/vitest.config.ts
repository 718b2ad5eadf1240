import { defineConfig } from 'vitest/config';

/**
 * Multi-process and multi-thread reliability scenarios (mpi/*.mpi.test.ts, threads/*.threads.test.ts): they start
 * mpirun jobs or worker threads on the built packages (`npx nx run-many -t build` first) and kill ranks.
 * Run: npx vitest run --config tools/reliability/vitest.config.ts
 */
const reportDir = process.env.SYNCOPATE_TEST_REPORT_DIR;

export default defineConfig({
  test: {
    reporters: reportDir ? ['default', 'json'] : ['default'],
    outputFile: reportDir ? { json: `${reportDir}/reliability.json` } : undefined,
    root: import.meta.dirname,
    include: ['mpi/**/*.mpi.test.ts', 'threads/**/*.threads.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
