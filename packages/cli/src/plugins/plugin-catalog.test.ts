import { OptionError, PLUGIN_KINDS, type PluginSpec } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { buildPluginSpec } from './build-plugins.js';
import { CATALOG_PACKAGES, PLUGIN_CATALOG } from './plugin-catalog.js';

/** Exported functions that take options and throw an OptionError in their own name, but make no plugin. */
const NOT_PLUGINS = new Set(['estimateTime']);

/** Options for factories that have required options. */
const SAMPLE_OPTIONS: Readonly<Record<string, unknown>> = {
  hierarchical: { localSize: 2 },
  threshold: { threshold: 0.01 },
  perBucket: { otherwise: { name: 'identity' } },
  baseBufferPolicy: { policy: 'average' },
};

/**
 * How the coverage check recognises a plugin factory among a package's exports: a function that,
 * called without options, returns a spec (`kind`, `name`, `register`), or refuses with an
 * `OptionError` in its own name (a required option is missing).
 */
function looksLikeFactory(name: string, value: unknown): boolean {
  if (typeof value !== 'function' || /^[A-Z]/.test(name) || NOT_PLUGINS.has(name)) return false;
  try {
    const result = (value as () => unknown)();
    if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).catch(() => {});
    const spec = result as Partial<PluginSpec> | undefined;
    return !!spec && typeof spec === 'object' && typeof spec.kind === 'string' && typeof spec.register === 'function';
  } catch (error) {
    return error instanceof OptionError && error.owner === name;
  }
}

describe('the plugin catalog', () => {
  it('lists every plugin factory the plugin packages export', () => {
    const missing: string[] = [];
    for (const { packageName, module } of CATALOG_PACKAGES) {
      for (const [name, value] of Object.entries(module)) {
        if (looksLikeFactory(name, value) && PLUGIN_CATALOG.get(name)?.packageName !== packageName) missing.push(`${packageName}: ${name}`);
      }
    }
    expect(missing, 'add these factories to src/plugins/plugin-catalog.ts (or to NOT_PLUGINS in this test if they make no plugin)').toEqual([]);
  });

  it('recognises factories by that rule (it would catch a forgotten one)', () => {
    const topology = CATALOG_PACKAGES.find((p) => p.packageName === '@syncopate/topology')!.module;
    expect(looksLikeFactory('ring', topology.ring)).toBe(true);
    expect(looksLikeFactory('hierarchical', topology.hierarchical)).toBe(true); // needs localSize
    expect(looksLikeFactory('spectralGap', topology.spectralGap)).toBe(false);
    expect(looksLikeFactory('GraphTopology', topology.GraphTopology)).toBe(false);
  });

  it.each([...PLUGIN_CATALOG.values()].map((e) => [e.name, e] as const))('%s makes a spec of its declared kind and name', (name, entry) => {
    expect(PLUGIN_KINDS).toContain(entry.kind);
    const spec = buildPluginSpec({ name, options: (SAMPLE_OPTIONS[name] ?? {}) as Record<string, unknown> }, 'test', 'plugins[0]');
    expect(spec.kind).toBe(entry.kind);
    expect(spec.name).toBe(name);
    expect(typeof spec.register).toBe('function');
  });
});
