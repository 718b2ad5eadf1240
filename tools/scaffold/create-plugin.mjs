#!/usr/bin/env node
/**
 * Scaffold a new Syncopate plugin package that depends on @syncopate/core alone and already
 * works: a factory that checks its options and returns an inert spec, an implementation with a
 * real, minimal behaviour (e.g. a sync policy that averages every `period` steps), a test of that
 * behaviour, the kind's contract suite from @syncopate/testing, a README and a changeset.
 *
 *   node tools/scaffold/create-plugin.mjs <name> --kind <kind> [--out DIR] [--description "..."]
 *
 *   <name>         kebab-case package folder name, e.g. drift-averaging (the factory is driftAveraging)
 *   --kind         sync-policy | compressor | topology | collective | momentum | scheduler
 *   --out DIR      create DIR/<name> (default: packages/<name> of this repository). Inside this
 *                  repository the package uses its shared configs; anywhere else it is stand-alone
 *                  (its own tsconfig and vitest config; `npm install` its dependencies).
 *   --package      the npm name (default @syncopate/<name> in packages/, else <name>)
 *   --description  one sentence for package.json, the README and the changeset
 *   --dry-run      print the files instead of writing them
 *
 * Refuses to write into a folder that already has files. Guides: docs/guides/writing-a-<kind>.md.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** What differs between kinds: the exports, the contract suite, extra test dependencies, prose. */
const KINDS = {
  'sync-policy': {
    what: 'a sync policy: when ranks synchronise and what they exchange',
    generated: 'averages the parameters over all ranks every `period` steps (default 1), through the exchange, bucket by bucket',
    exports: (c) => `${c.Class}, ${c.factory}, type ${c.Class}Options`,
    usage: (c) => `plugins: [${c.factory}({ period: 4 })]`,
    contract: 'syncPolicyContract',
    testDeps: [],
  },
  compressor: {
    what: 'a compressor: how a buffer is encoded before it crosses the network',
    generated: 'encodes float32 losslessly in a versioned payload with a CRC-32, gathered and summed',
    exports: (c) => `${c.Class}, ${c.factory}, type ${c.Class}Options`,
    usage: (c) => `plugins: [localSgd({ period: 8, stream: 'delta' }), ${c.factory}()]`,
    contract: 'compressorContract',
    testDeps: [],
  },
  topology: {
    what: 'a topology: who mixes with whom, and with which weights',
    generated: 'is the complete graph with uniform weights 1/n',
    exports: (c) => `${c.Class}, ${c.factory}, type ${c.Class}Options`,
    usage: (c) => `plugins: [${c.factory}(), neighbourAverage()]`,
    contract: 'topologyContract',
    testDeps: [],
  },
  collective: {
    what: 'a collective: how ranks combine buffers over the transport',
    generated: 'reduces to rank 0 and broadcasts back over point-to-point messages, one call at a time in call order',
    exports: (c) => `${c.Class}, ${c.factory}, type ${c.Class}Options`,
    usage: (c) => `plugins: [${c.factory}()]`,
    contract: 'collectiveContract',
    testDeps: ['@syncopate/transport-local'],
  },
  momentum: {
    what: 'a momentum plugin: an outer optimizer applied at synchronisation points',
    generated: 'is outer SGD with an outer learning rate `alpha` (x₀ ← x₀ + α(x̄ − x₀) at every sync)',
    exports: (c) => `${c.Class}, ${c.factory}, type ${c.Class}Options`,
    usage: (c) => `plugins: [localSgd({ period: 8 }), ${c.factory}({ alpha: 0.7 })]`,
    contract: 'momentumContract',
    testDeps: [],
  },
  scheduler: {
    what: 'a scheduler: how the flat buffer is cut into buckets and in which order they travel',
    generated: 'makes one bucket per tensor and sends the last tensor first',
    exports: (c) => `${c.Class}, ${c.factory}, type ${c.Class}Options`,
    usage: (c) => `plugins: [${c.factory}()]`,
    contract: 'schedulerContract',
    testDeps: [],
  },
};

function fail(message) {
  console.error(`create-plugin: ${message}`);
  console.error('usage: create-plugin.mjs <kebab-case-name> --kind <' + Object.keys(KINDS).join('|') + '> [--out DIR] [--package NAME] [--description "..."] [--dry-run]');
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kind: { type: 'string' },
    out: { type: 'string' },
    package: { type: 'string' },
    description: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const name = positionals[0];
if (!name || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) fail(`the name must be kebab-case (e.g. drift-averaging), got ${JSON.stringify(name ?? '')}`);
if (positionals.length > 1) fail(`one name only, got ${positionals.join(' ')}`);
const kind = KINDS[values.kind];
if (!kind) fail(`--kind must be one of ${Object.keys(KINDS).join(', ')}, got ${JSON.stringify(values.kind ?? '')}`);

const factory = name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const Class = factory[0].toUpperCase() + factory.slice(1);
const pkgDir = values.out ? resolve(values.out, name) : join(root, 'packages', name);
const inRepo = !relative(root, pkgDir).startsWith('..') && !relative(root, pkgDir).startsWith(sep);
const inPackages = relative(join(root, 'packages'), pkgDir) === name;
const packageName = values.package ?? (inPackages ? `@syncopate/${name}` : name);
const description = values.description ?? `A Syncopate ${values.kind} plugin: ${factory}.`;
if (existsSync(pkgDir) && readdirSync(pkgDir).length > 0) fail(`${pkgDir} already exists and is not empty`);

const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const core = JSON.parse(readFileSync(join(root, 'packages', 'core', 'package.json'), 'utf8'));
const version = (pkg) => JSON.parse(readFileSync(join(root, 'packages', pkg.replace('@syncopate/', ''), 'package.json'), 'utf8')).version;
const context = { name, factory, Class, packageName, description };
const fill = (text) =>
  text
    .replaceAll('__Class__', Class)
    .replaceAll('__factory__', factory)
    .replaceAll('__name__', name)
    .replaceAll('__package__', packageName)
    .replaceAll('__description__', description)
    .replaceAll('__kind__', values.kind);
const template = (file) => fill(readFileSync(join(here, 'templates', values.kind, file), 'utf8'));
const toRoot = relative(pkgDir, root).split(sep).join('/');

const testDeps = ['@syncopate/testing', ...kind.testDeps];
const files = new Map();
files.set(
  'package.json',
  JSON.stringify(
    {
      name: packageName,
      version: '0.1.0',
      description,
      license: 'Apache-2.0',
      type: 'module',
      sideEffects: false,
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './internal/*': null, './package.json': './package.json' },
      main: './dist/index.js',
      types: './dist/index.d.ts',
      files: ['dist', '!dist/**/*.test.*', '!dist/**/*.tsbuildinfo', 'README.md'],
      scripts: { build: 'tsc -p tsconfig.lib.json', typecheck: 'tsc -p tsconfig.json --noEmit', test: 'vitest run' },
      dependencies: { '@syncopate/core': core.version },
      devDependencies: Object.fromEntries([
        ...testDeps.map((d) => [d, version(d)]),
        ...(inRepo ? [] : ['@types/node', 'typescript', 'vitest'].map((d) => [d, rootManifest.devDependencies[d]])),
      ]),
      ...(inPackages ? { nx: { tags: ['kind:plugin'] } } : {}),
    },
    null,
    2,
  ) + '\n',
);
const baseOptions = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
const tsconfig = (compilerOptions, include, exclude) =>
  JSON.stringify({ ...(inRepo ? { extends: `${toRoot}/tsconfig.base.json` } : {}), compilerOptions: inRepo ? compilerOptions : { ...baseOptions, ...compilerOptions }, include, ...(exclude ? { exclude } : {}) }, null, 2) + '\n';
files.set('tsconfig.json', tsconfig({ noEmit: true }, ['src/**/*.ts', 'vitest.config.ts']));
files.set('tsconfig.lib.json', tsconfig({ rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo', incremental: true }, ['src/**/*.ts'], ['src/**/*.test.ts']));
files.set(
  'vitest.config.ts',
  inRepo
    ? `import { packageConfig } from '${toRoot}/vitest.shared.js';\n\n// Inside the repository, @syncopate/* resolve to the packages' sources.\nexport default packageConfig();\n`
    : `import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({ test: { include: ['src/**/*.test.ts'] } });\n`,
);
files.set('src/index.ts', `/**\n * @packageDocumentation\n * ${description}\n */\nexport { ${kind.exports(context)} } from './${name}.js';\n`);
files.set(`src/${name}.ts`, template('plugin.ts.tmpl'));
files.set(`src/${name}.test.ts`, template('plugin.test.ts.tmpl'));
files.set('src/contract.test.ts', template('contract.test.ts.tmpl'));
files.set('README.md', readme());
const changesetPath = inPackages ? join(root, '.changeset', `${name}.md`) : join(pkgDir, '.changeset', `${name}.md`);
const changeset = `---\n"${packageName}": minor\n---\n\nAdd \`${factory}()\`, ${kind.what.split(':')[0]} that ${kind.generated.replaceAll('`', '')}.\n`;

function readme() {
  const guide = inRepo ? `${toRoot}/docs/guides/writing-a-${values.kind}.md` : `docs/guides/writing-a-${values.kind}.md in the Syncopate repository`;
  return `# ${packageName}

${description}

\`${factory}()\` is ${kind.what}. As generated it ${kind.generated}: a correct starting point
that passes the ${values.kind} contract suite of \`@syncopate/testing\`. Replace the algorithm in
\`src/${name}.ts\`, keep the contract test green, and add tests of your algorithm's defining property.

It depends on \`@syncopate/core\` alone, so it composes with every other plugin.

## Install

\`\`\`sh
npm install ${packageName} @syncopate/core
\`\`\`

## Use

\`\`\`ts
import { createTrainer } from '@syncopate/trainer';
import { ${factory} } from '${packageName}';

const trainer = createTrainer({ transport, model, data, ${kind.usage(context)} });
await trainer.fit({ epochs: 5 });
\`\`\`

## Options

TODO: each option, its range and its default (the factory checks them with core's \`knownOptions\`
and \`numberOption\`/\`choiceOption\`).

## Develop

\`\`\`sh
npm test            # the behaviour test and the ${kind.contract} suite
npm run typecheck
npm run build
\`\`\`

How to write ${kind.what.split(':')[0]}: ${guide}.
`;
}

if (values['dry-run']) {
  for (const [path, text] of files) console.log(`--- ${join(pkgDir, path)}\n${text}`);
  console.log(`--- ${changesetPath}\n${changeset}`);
  process.exit(0);
}
for (const [path, text] of files) {
  mkdirSync(dirname(join(pkgDir, path)), { recursive: true });
  writeFileSync(join(pkgDir, path), text);
}
mkdirSync(dirname(changesetPath), { recursive: true });
if (!existsSync(changesetPath)) writeFileSync(changesetPath, changeset);
console.log(`created ${relative(process.cwd(), pkgDir) || '.'} (${values.kind} '${factory}', package ${packageName})`);
console.log(`  changeset: ${relative(process.cwd(), changesetPath)}`);
if (!inRepo) console.log('  next: npm install, then npm test');
else if (!inPackages) console.log('  next: npx vitest run and npx tsc -p tsconfig.json --noEmit in the new folder');
else {
  console.log('  next: npm install (to link the new workspace; its kind:plugin tag puts it under the module-boundary lint),');
  console.log(`        then npx nx run ${packageName}:test`);
}
