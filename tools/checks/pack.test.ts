/**
 * Every package is independently publishable: `npm pack` it, install the tarball into an empty
 * directory beside a packed `@syncopate/core` (and the tarballs of any other @syncopate
 * package it depends on), then import it and check its public exports. Also runs publint.
 *
 * Slow (an npm install per package), so it runs once per `npm test`, not in watch mode.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const packagesDir = join(root, 'packages');
const names = readdirSync(packagesDir).filter((n) => {
  try {
    return !JSON.parse(readFileSync(join(packagesDir, n, 'package.json'), 'utf8')).private;
  } catch {
    return false;
  }
});
const work = mkdtempSync(join(tmpdir(), 'syncopate-pack-'));
const tarballs = new Map<string, string>();
const env = { ...process.env, npm_config_nodedir: '/usr', npm_config_audit: 'false', npm_config_fund: 'false' };

function manifest(name: string): { name: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8'));
}

/** The @syncopate packages `name` needs at run time, transitively, itself included. */
function closure(name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  const m = manifest(name);
  for (const dep of Object.keys({ ...m.dependencies, ...m.peerDependencies })) {
    if (dep.startsWith('@syncopate/')) closure(dep.slice('@syncopate/'.length), seen);
  }
  return seen;
}

beforeAll(() => {
  const out = join(work, 'tarballs');
  mkdirSync(out);
  for (const name of names) {
    const file = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: join(packagesDir, name), env, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    tarballs.set(name, join(out, file));
  }
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('packages install and import on their own', () => {
  it.each(names)('@syncopate/%s', (name) => {
    const m = manifest(name);
    expect(m.exports?.['.'], 'exports "."').toBeDefined();
    const dir = join(work, `install-${name}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `probe-${name}`, private: true, type: 'module' }));
    const needed = [...closure(name)].map((n) => tarballs.get(n)!);
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...needed], { cwd: dir, env, stdio: 'pipe' });
    const probe = `const m = await import('@syncopate/${name}'); const keys = Object.keys(m); if (keys.length === 0) throw new Error('no exports'); console.log(JSON.stringify(keys));`;
    const keys = JSON.parse(execFileSync('node', ['--input-type=module', '-e', probe], { cwd: dir, env, encoding: 'utf8' }).trim().split('\n').pop()!);
    expect(keys.length).toBeGreaterThan(0);
    if (m.exports['./testing']) {
      execFileSync('node', ['--input-type=module', '-e', `await import('@syncopate/${name}/testing');`], { cwd: dir, env });
    }
    // Nothing but built files, the README and the manifest (plus native sources for the addon).
    const listed = execFileSync('tar', ['-tzf', tarballs.get(name)!], { encoding: 'utf8' }).trim().split('\n');
    expect(listed.filter((f) => /\.test\.(js|d\.ts)$/.test(f)), 'tests are not published').toEqual([]);
    expect(listed.some((f) => f.startsWith('package/src/') && f.endsWith('.ts')), 'TypeScript sources are not published').toBe(false);
  });

  it.each(names)('@syncopate/%s passes publint', (name) => {
    const out = execFileSync('npx', ['publint', '--level', 'warning', join(packagesDir, name)], { cwd: root, env, encoding: 'utf8' });
    expect(out).not.toMatch(/Errors:|Warnings:/);
  });
});
