// @ts-check
/**
 * Lint rules that keep the architecture honest:
 * - plugin packages (topology, collectives, sync-policy, compression, momentum, scheduler)
 *   import `@syncopate/core` only; their tests may also use `@syncopate/testing` and
 *   `@syncopate/transport-local`;
 * - nothing in packages/ uses tsyringe's global `container`, `@singleton` or `@registry`
 *   (the trainer's one composition file may call `container.createChildContainer()`);
 * - no `Math.random` in packages/: randomness comes from core's seeded generator.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { URL } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Every package tagged `kind:plugin` in its package.json (`nx.tags`): a generated plugin package is covered at once. */
export const PLUGIN_PACKAGES = readdirSync(new URL('./packages/', import.meta.url)).filter((name) => {
  try {
    const manifest = JSON.parse(readFileSync(new URL(`./packages/${name}/package.json`, import.meta.url), 'utf8'));
    return (manifest.nx?.tags ?? []).includes('kind:plugin');
  } catch {
    return false;
  }
});
const TEST_FILES = ['**/*.test.ts', '**/testing/**/*.ts'];
const CHILD_CONTAINER_FILE = 'packages/trainer/src/composition/container.ts';

const tsyringeBan = {
  name: 'tsyringe',
  importNames: ['container', 'singleton', 'registry'],
  message: "Use the trainer's child container; the global container, @singleton and @registry are banned in packages/.",
};

/** @param {boolean} tests */
function pluginImportRule(tests) {
  const allowed = tests ? ['core', 'testing', 'transport-local'] : ['core'];
  return [
    'error',
    {
      paths: [tsyringeBan],
      patterns: [
        {
          regex: `^@syncopate/(?!(${allowed.join('|')})(/testing)?$)`,
          message: `Plugin packages may depend on ${allowed.map((a) => `@syncopate/${a}`).join(', ')} only (module boundary).`,
        },
      ],
    },
  ];
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/build/**', '**/node_modules/**', '**/.nx/**', 'tmp/**', 'examples/**/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { paths: [tsyringeBan] }],
    },
  },
  {
    files: ['packages/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: "Use core's createRng: runs must be reproducible." }],
    },
  },
  {
    files: PLUGIN_PACKAGES.map((p) => `packages/${p}/**/*.ts`),
    rules: { 'no-restricted-imports': pluginImportRule(false) },
  },
  {
    files: PLUGIN_PACKAGES.flatMap((p) => TEST_FILES.map((t) => `packages/${p}/${t}`)),
    rules: { 'no-restricted-imports': pluginImportRule(true) },
  },
  {
    files: [CHILD_CONTAINER_FILE],
    rules: { 'no-restricted-imports': 'off' },
  },
);
