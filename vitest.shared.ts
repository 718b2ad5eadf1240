/**
 * Shared vitest settings for every package.
 *
 * Tests resolve `@syncopate/<pkg>` (and `@syncopate/<pkg>/testing`) to the sibling package's
 * TypeScript sources, so a test never runs against a stale `dist/`. Published consumers resolve
 * the same names through each package's `exports` map instead.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

export function packageConfig(overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  const reportDir = process.env.SYNCOPATE_TEST_REPORT_DIR;
  const name = process.env.npm_package_name?.replace('@syncopate/', '') ?? 'package';
  // SYNCOPATE_TEST_REPORT_SUFFIX tells apart reports of one script run in parts (tools/mpi/run-mpi-files.sh).
  const suffix = process.env.SYNCOPATE_TEST_REPORT_SUFFIX ? `-${process.env.SYNCOPATE_TEST_REPORT_SUFFIX}` : '';
  const target = `${process.env.npm_lifecycle_event ?? 'test'}${suffix}`.replace(/[^a-z0-9-]/gi, '-');
  return defineConfig({
    resolve: {
      alias: [
        { find: /^@syncopate\/([a-z0-9-]+)\/testing$/, replacement: `${packagesDir}$1/src/testing/index.ts` },
        { find: /^@syncopate\/([a-z0-9-]+)$/, replacement: `${packagesDir}$1/src/index.ts` },
      ],
    },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      exclude: ['**/node_modules/**', '**/dist/**', '**/*.mpi.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
      reporters: reportDir ? ['default', 'json'] : ['default'],
      outputFile: reportDir ? { json: `${reportDir}/${name}.${target}.json` } : undefined,
      ...overrides,
    },
  });
}
