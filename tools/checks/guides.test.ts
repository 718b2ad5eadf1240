/**
 * The authoring guides stay true: one guide per plugin kind, each covering what a plugin author
 * must know, with worked examples that are the real, compiled and tested code (included verbatim
 * from files: docs/guides/update-includes.mjs refreshes them), links that resolve, and contract
 * suites that @syncopate/testing really exports. Also type-checks and tests docs/guides/examples.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module without declarations
import { includesOf } from '../../docs/guides/update-includes.mjs';

const root = join(import.meta.dirname, '..', '..');
const guides = join(root, 'docs', 'guides');
const testingSrc = join(root, 'packages', 'testing', 'src');
/** The text of @syncopate/testing's index and of the modules it re-exports with `export *`. */
const testingIndex = (() => {
  const index = readFileSync(join(testingSrc, 'index.ts'), 'utf8');
  const starred = [...index.matchAll(/export \* from '\.\/(.+)\.js'/g)].map((m) => readFileSync(join(testingSrc, `${m[1]}.ts`), 'utf8'));
  return [index, ...starred].join('\n');
})();

/** Each kind's guide, and the contract suite it must point to. */
const KINDS = {
  topology: 'topologyContract',
  collective: 'collectiveContract',
  compressor: 'compressorContract',
  'sync-policy': 'syncPolicyContract',
  momentum: 'momentumContract',
  scheduler: 'schedulerContract',
} as const;

/** What every guide must talk about: a heading, or words in its text. */
const TOPICS: readonly [string, RegExp][] = [
  ['the contract from core', /^## The contract$/m],
  ['the factory/spec pattern', /register\(|registrar\.register/],
  ['option validation with core helpers', /numberOption|knownOptions|option/i],
  ['capabilities and how createTrainer refuses', /Capabilit|provides|requires/],
  ['state: snapshot/restore', /snapshot/],
  ['randomness', /createRng|ctx\.rng|sharedRng|SHARED_RANK|random/],
  ['ordering across ranks', /order/i],
  ['testing with the contract suite', /^## Testing$/m],
  ['a worked example', /^## Worked example/m],
  ['the generator', /tools\/scaffold\/create-plugin\.mjs .* --kind /],
];

describe.each(Object.entries(KINDS))('docs/guides/writing-a-%s.md', (kind, suite) => {
  const path = join(guides, `writing-a-${kind}.md`);
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';

  it('exists and covers every topic a plugin author needs', () => {
    expect(text, `${path} is missing`).not.toBe('');
    const missing = TOPICS.filter(([, pattern]) => !pattern.test(text)).map(([topic]) => topic);
    expect(missing).toEqual([]);
    expect(text).toContain(`node tools/scaffold/create-plugin.mjs`);
    expect(text).toContain(`--kind ${kind}`);
  });

  it(`points to ${suite}, which @syncopate/testing exports`, () => {
    expect(text).toContain(suite);
    expect(testingIndex).toMatch(new RegExp(`\\b${suite}\\b`));
  });

  it('shows worked examples that are exactly the compiled, tested files', () => {
    const includes: { path: string; shown: string; actual: string }[] = includesOf(text, guides);
    expect(includes.length).toBeGreaterThan(0);
    for (const include of includes) {
      expect(include.shown, `${include.path} changed: run node docs/guides/update-includes.mjs`).toBe(include.actual);
    }
  });

  it('links only to files that exist', () => {
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      expect(existsSync(join(dirname(path), target!)), `link ${target}`).toBe(true);
    }
  });
});

describe('docs/guides/examples', () => {
  const dir = join(guides, 'examples');
  const run = (args: string[], env: Record<string, string> = {}) => {
    try {
      return execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8', stdio: 'pipe', timeout: 240_000, env: { ...process.env, NO_COLOR: '1', ...env } });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      throw new Error(`${args.join(' ')} failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`.slice(-8000), { cause: error });
    }
  };

  it('type-check', () => {
    run([join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit']);
  });

  it('pass their tests (each example against its kind’s contract suite)', () => {
    const output = run([join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], { npm_package_name: 'syncopate-guide-examples', npm_lifecycle_event: 'test' });
    expect(output).toMatch(/Test Files\s+5 passed \(5\)/);
  });

  it('depend on @syncopate/core alone outside their tests', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies)).toEqual(['@syncopate/core']);
    for (const kind of ['topology/hypercube', 'collective/reduce-broadcast', 'compressor/random-block', 'momentum/outer-nesterov', 'scheduler/balanced-buckets']) {
      const source = readFileSync(join(dir, 'src', `${kind}.ts`), 'utf8');
      expect([...source.matchAll(/from '(@syncopate\/[^']+)'/g)].map((m) => m[1]), kind).toEqual(['@syncopate/core']);
    }
  });
});
