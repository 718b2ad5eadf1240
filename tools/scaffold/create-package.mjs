#!/usr/bin/env node
/**
 * Scaffold a new package under packages/<name> with the layout every Syncopate package shares:
 * package.json (exports ".", optional "./testing"), tsconfig.json (editor + tests),
 * tsconfig.lib.json (build), vitest.config.ts, src/index.ts and a README.
 *
 *   node tools/scaffold/create-package.mjs <name> --description "..." [--tag kind:plugin] [--testing] [--dep @syncopate/core]
 *
 * Existing files are never overwritten.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    description: { type: 'string', default: '' },
    tag: { type: 'string', multiple: true, default: [] },
    dep: { type: 'string', multiple: true, default: [] },
    testing: { type: 'boolean', default: false },
    version: { type: 'string', default: '0.1.0' },
    dir: { type: 'string', default: 'packages' },
  },
});
const name = positionals[0];
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: create-package.mjs <kebab-case-name> --description "..." [--tag kind:plugin] [--testing] [--dep @syncopate/core]');
  process.exit(2);
}
const pkgDir = join(root, values.dir, name);
const rel = (p) => join(pkgDir, p);
const write = (p, text) => {
  if (existsSync(rel(p))) return;
  mkdirSync(dirname(rel(p)), { recursive: true });
  writeFileSync(rel(p), text);
};

const exportsMap = {
  '.': { types: './dist/index.d.ts', default: './dist/index.js' },
  ...(values.testing ? { './testing': { types: './dist/testing/index.d.ts', default: './dist/testing/index.js' } } : {}),
  './internal/*': null,
  './package.json': './package.json',
};
const deps = Object.fromEntries(values.dep.map((d) => [d, values.version]));
const pkg = {
  name: `@syncopate/${name}`,
  version: values.version,
  description: values.description,
  license: 'Apache-2.0',
  type: 'module',
  sideEffects: false,
  exports: exportsMap,
  main: './dist/index.js',
  types: './dist/index.d.ts',
  files: ['dist', '!dist/**/*.test.*', '!dist/**/*.tsbuildinfo', 'README.md'],
  scripts: {
    build: 'tsc -p tsconfig.lib.json',
    typecheck: 'tsc -p tsconfig.json --noEmit',
    test: 'vitest run',
  },
  dependencies: deps,
  nx: { tags: values.tag },
};
write('package.json', JSON.stringify(pkg, null, 2) + '\n');
write('tsconfig.json', JSON.stringify({
  extends: '../../tsconfig.base.json',
  compilerOptions: { noEmit: true },
  include: ['src/**/*.ts', 'test/**/*.ts', 'vitest.config.ts'],
}, null, 2) + '\n');
write('tsconfig.lib.json', JSON.stringify({
  extends: '../../tsconfig.base.json',
  compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo', incremental: true },
  include: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.mpi.test.ts'],
}, null, 2) + '\n');
write('vitest.config.ts', "import { packageConfig } from '../../vitest.shared.js';\n\nexport default packageConfig();\n");
write('src/index.ts', `/**\n * @packageDocumentation\n * ${values.description}\n */\nexport {};\n`);
if (values.testing) write('src/testing/index.ts', `/** Test helpers for @syncopate/${name}. */\nexport {};\n`);
write('README.md', `# @syncopate/${name}\n\n${values.description}\n\n## Install\n\n\`\`\`sh\nnpm install @syncopate/${name}${values.dep.length ? ' ' + values.dep.join(' ') : ''}\n\`\`\`\n`);
console.log(`created ${values.dir}/${name}`);
