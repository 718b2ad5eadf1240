/**
 * Every example under examples/ runs in CI. The root workspaces list only packages/*, so nx does
 * not see the examples; this check runs each one's type check and its own vitest suite (whose
 * config resolves `@syncopate/*` to the packages' sources, as the packages' tests do), and checks
 * that an out-of-tree plugin really depends on `@syncopate/core` alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const examplesDir = join(root, 'examples');
const examples = existsSync(examplesDir) ? readdirSync(examplesDir).filter((name) => existsSync(join(examplesDir, name, 'package.json'))) : [];
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** Files under `dir` whose name passes `keep`. */
function files(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : files(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}

/** Run `node args` in `cwd`; on failure, the error carries the command's whole output. */
function run(cwd: string, args: string[], env: Record<string, string> = {}): string {
  try {
    return execFileSync(process.execPath, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', stdio: 'pipe', timeout: 240_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${args.join(' ')} failed in ${relative(root, cwd)}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`.slice(-8000), { cause: error });
  }
}

describe.each(examples)('examples/%s', (name) => {
  const dir = join(examplesDir, name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

  it('is private and depends on @syncopate/core as its only @syncopate dependency', () => {
    expect(manifest.private).toBe(true);
    const runtime = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter((d) => d.startsWith('@syncopate/'));
    expect(runtime).toEqual(['@syncopate/core']);
  });

  it('imports no @syncopate package but core outside its tests', () => {
    const sources = files(join(dir, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(0);
    for (const file of sources) {
      const imports = [...readFileSync(file, 'utf8').matchAll(/from\s+'(@syncopate\/[^']+)'/g)].map((m) => m[1]);
      expect(imports.filter((i) => i !== '@syncopate/core'), relative(root, file)).toEqual([]);
    }
  });

  it('type-checks', () => {
    run(dir, [tsc, '-p', 'tsconfig.json', '--noEmit']);
  });

  it('passes its own tests', () => {
    // Its own JSON report joins the others when tools/run-tests.sh collects them.
    const output = run(dir, [vitest, 'run'], { npm_package_name: manifest.name, npm_lifecycle_event: 'test', NO_COLOR: '1' });
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
  });
});

it('finds the examples', () => {
  expect(examples).toContain('custom-policy');
});
