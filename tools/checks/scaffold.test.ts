/**
 * The plugin generator works for every kind: `tools/scaffold/create-plugin.mjs` writes a package
 * that depends on @syncopate/core alone, type-checks, builds, and passes its own tests — the
 * behaviour test and its kind's contract suite from @syncopate/testing.
 *
 * Stand-alone packages are generated into a temporary folder outside the repository, where
 * `node_modules` holds only what `npm install` would give them: the repository's third-party
 * packages (linked) and, of ours, just the @syncopate packages the generated manifest names
 * (linked to their built `dist`, which this check rebuilds first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const script = join(root, 'tools', 'scaffold', 'create-plugin.mjs');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const KINDS = ['sync-policy', 'compressor', 'topology', 'collective', 'momentum', 'scheduler'] as const;
const work = mkdtempSync(join(tmpdir(), 'syncopate-scaffold-'));
const inRepo = join(root, 'tmp', `scaffold-check-${process.pid}`);

/** Run `node args` (generated packages' own test reports stay out of CI's totals); on failure the error carries the whole output. */
function node(args: string[], cwd: string, env: Record<string, string> = {}): string {
  try {
    return execFileSync(process.execPath, args, { cwd, encoding: 'utf8', stdio: 'pipe', timeout: 240_000, env: { ...process.env, NO_COLOR: '1', SYNCOPATE_TEST_REPORT_DIR: '', ...env } });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`node ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`.slice(-8000), { cause: error });
  }
}

const generate = (name: string, kind: string, out: string, ...extra: string[]) => node([script, name, '--kind', kind, '--out', out, ...extra], root);
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

beforeAll(() => {
  // The stand-alone packages type-check against the built declarations: build them from the current sources.
  for (const pkg of ['core', 'testing', 'transport-local']) node([tsc, '-p', 'tsconfig.lib.json'], join(root, 'packages', pkg));
  const modules = join(work, 'node_modules');
  mkdirSync(join(modules, '@syncopate'), { recursive: true });
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry.startsWith('.') || entry === '@syncopate') continue;
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  for (const pkg of ['core', 'testing', 'transport-local']) symlinkSync(join(root, 'packages', pkg), join(modules, '@syncopate', pkg));
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(inRepo, { recursive: true, force: true });
});

describe.each(KINDS)('create-plugin --kind %s, stand-alone', (kind) => {
  const name = `my-${kind}`;
  const dir = join(work, name);

  it('writes a package that depends on @syncopate/core alone, with a README, a changeset and a contract test', () => {
    generate(name, kind, work, '--description', `A test ${kind}.`);
    const manifest = json(join(dir, 'package.json'));
    expect(manifest.name).toBe(name);
    expect(Object.keys(manifest.dependencies)).toEqual(['@syncopate/core']);
    expect(Object.keys(manifest.devDependencies)).toEqual(expect.arrayContaining(['@syncopate/testing', 'typescript', 'vitest']));
    for (const dep of Object.keys(manifest.devDependencies).filter((d) => d.startsWith('@syncopate/'))) {
      expect(existsSync(join(work, 'node_modules', dep)), `${dep} is linked for the test`).toBe(true);
    }
    expect(json(join(dir, 'tsconfig.json')).extends, 'a stand-alone package carries its own compiler options').toBeUndefined();
    expect(readFileSync(join(dir, 'src', 'contract.test.ts'), 'utf8')).toMatch(/from '@syncopate\/testing'/);
    const factory = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(`import { ${factory} } from '${name}'`);
    expect(readFileSync(join(dir, '.changeset', `${name}.md`), 'utf8')).toMatch(new RegExp(`^---\\n"${name}": minor\\n---\\n\\nAdd \`${factory}\\(\\)\`, `));
    const sources = readFileSync(join(dir, 'src', `${name}.ts`), 'utf8');
    expect([...sources.matchAll(/from '(@syncopate\/[^']+)'/g)].map((m) => m[1])).toEqual(['@syncopate/core']);
    expect(sources).not.toMatch(/Math\.random|tsyringe/);
  });

  it('type-checks, and passes its behaviour test and the contract suite', () => {
    node([tsc, '-p', 'tsconfig.json', '--noEmit'], dir);
    const output = node([vitest, 'run'], dir);
    expect(output).toMatch(/Test Files\s+2 passed \(2\)/);
    expect(output).toMatch(/Tests\s+\d+ passed/);
  });
});

describe('create-plugin', () => {
  it('builds a stand-alone package into dist, with declarations and without tests', () => {
    const dir = join(work, 'my-sync-policy');
    node([tsc, '-p', 'tsconfig.lib.json'], dir);
    const built = readdirSync(join(dir, 'dist'));
    expect(built).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'my-sync-policy.js']));
    expect(built.filter((f) => f.includes('.test.'))).toEqual([]);
    const probe = `const m = await import(${JSON.stringify(join(dir, 'dist', 'index.js'))}); const spec = m.mySyncPolicy({ period: 2 }); console.log(spec.kind, spec.name, Object.isFrozen(spec));`;
    expect(node(['--input-type=module', '-e', probe], dir).trim()).toBe('sync-policy mySyncPolicy true');
  });

  it('inside the repository, uses the shared tsconfig and vitest config, and its tests pass', () => {
    generate('shared-config-policy', 'sync-policy', inRepo);
    const dir = join(inRepo, 'shared-config-policy');
    expect(json(join(dir, 'tsconfig.json')).extends).toBe('../../../tsconfig.base.json');
    expect(readFileSync(join(dir, 'vitest.config.ts'), 'utf8')).toContain("from '../../../vitest.shared.js'");
    expect(json(join(dir, 'package.json')).devDependencies).toEqual({ '@syncopate/testing': expect.any(String) });
    node([tsc, '-p', 'tsconfig.json', '--noEmit'], dir);
    expect(node([vitest, 'run'], dir)).toMatch(/Test Files\s+2 passed \(2\)/);
  });

  it('refuses a bad name, an unknown kind and a folder that is not empty, with exit code 2 and the reason', () => {
    const attempt = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8' });
    const badName = attempt('MyPolicy', '--kind', 'sync-policy', '--out', work);
    expect(badName.status).toBe(2);
    expect(badName.stderr).toMatch(/the name must be kebab-case \(e\.g\. drift-averaging\), got "MyPolicy"/);
    const badKind = attempt('fine-name', '--kind', 'policy', '--out', work);
    expect(badKind.status).toBe(2);
    expect(badKind.stderr).toMatch(/--kind must be one of sync-policy, compressor, topology, collective, momentum, scheduler, got "policy"/);
    const taken = attempt('my-topology', '--kind', 'topology', '--out', work);
    expect(taken.status).toBe(2);
    expect(taken.stderr).toMatch(/my-topology already exists and is not empty/);
  });

  it('--dry-run prints the files and writes nothing', () => {
    const output = node([script, 'dry-policy', '--kind', 'sync-policy', '--out', work, '--dry-run'], root);
    expect(output).toContain(`--- ${join(work, 'dry-policy', 'src', 'dry-policy.ts')}`);
    expect(output).toContain('export function dryPolicy(');
    expect(existsSync(join(work, 'dry-policy'))).toBe(false);
  });
});
