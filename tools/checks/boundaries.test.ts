/**
 * The module-boundary rules must bite: a plugin package importing another plugin package, or
 * anything using tsyringe's global container, fails lint. Also checks the declared
 * dependencies of every plugin package, which is what `npm pack` consumers actually get.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PLUGIN_PACKAGES } from '../../eslint.config.js';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function lint(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries', () => {
  it('knows the six plugin packages from their kind:plugin tags', () => {
    expect(PLUGIN_PACKAGES).toEqual(expect.arrayContaining(['collectives', 'compression', 'momentum', 'scheduler', 'sync-policy', 'topology']));
    expect(PLUGIN_PACKAGES).not.toContain('trainer');
  });

  it.each(PLUGIN_PACKAGES)('%s may not import another plugin package', async (pkg) => {
    const other = PLUGIN_PACKAGES.find((p) => p !== pkg)!;
    const messages = await lint(`import { x } from '@syncopate/${other}';\nexport const y = x;\n`, `packages/${pkg}/src/probe.ts`);
    expect(messages.some((m) => m.startsWith('no-restricted-imports') && m.includes('module boundary'))).toBe(true);
  });

  it('lets a plugin package import core, and its tests use the testing package', async () => {
    expect(await lint(`import { token } from '@syncopate/core';\nexport const t = token('a/b');\n`, 'packages/compression/src/probe.ts')).toEqual([]);
    expect(
      await lint(`import { x } from '@syncopate/testing';\nexport const y = x;\n`, 'packages/compression/src/probe.test.ts'),
    ).toEqual([]);
    const fromTrainer = await lint(`import { x } from '@syncopate/trainer';\nexport const y = x;\n`, 'packages/compression/src/probe.test.ts');
    expect(fromTrainer.join('\n')).toMatch(/module boundary/);
  });

  it('bans the global tsyringe container, @singleton and @registry in packages/', async () => {
    for (const name of ['container', 'singleton', 'registry']) {
      const messages = await lint(`import { ${name} } from 'tsyringe';\nexport const c = ${name};\n`, 'packages/trainer/src/probe.ts');
      expect(messages.join('\n')).toMatch(/global container/);
    }
    expect(await lint(`import { container } from 'tsyringe';\nexport const c = container.createChildContainer();\n`, 'packages/trainer/src/composition/container.ts')).toEqual([]);
  });

  it('bans Math.random in packages/', async () => {
    expect((await lint(`export const r = Math.random();\n`, 'packages/core/src/probe.ts')).join('\n')).toMatch(/createRng/);
  });

  it('plugin packages declare @syncopate/core as their only @syncopate dependency', () => {
    for (const pkg of PLUGIN_PACKAGES) {
      const json = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'));
      const deps = Object.keys({ ...json.dependencies, ...json.peerDependencies }).filter((d) => d.startsWith('@syncopate/'));
      expect(deps, pkg).toEqual(['@syncopate/core']);
    }
  });
});
