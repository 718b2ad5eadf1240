import { defineConfig } from 'vitest/config';

const reportDir = process.env.SYNCOPATE_TEST_REPORT_DIR;

/** Workspace-level checks: module boundaries, packaging, docs. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['checks/**/*.test.ts', 'scaffold/**/*.test.ts'],
    testTimeout: 300_000,
    reporters: reportDir ? ['default', 'json'] : ['default'],
    outputFile: reportDir ? { json: `${reportDir}/workspace.json` } : undefined,
  },
});
