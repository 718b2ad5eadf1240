import { CompositionError, PLUGIN_KINDS, formatValue, type Capability, type PluginKind, type PluginSpec } from '@syncopate/core';

/** One plugin of a checked composition. */
export interface ComposedPlugin {
  readonly spec: PluginSpec;
  /** True when the trainer filled the kind in because no plugin of it was given. */
  readonly isDefault: boolean;
}

/** A composition that passed {@link validateComposition}: at most one plugin per kind, every requirement met. */
export interface Composition {
  /** The plugins, in {@link PLUGIN_KINDS} order. */
  readonly plugins: readonly ComposedPlugin[];
  /** The plugin of `kind`, if any. */
  get(kind: PluginKind): PluginSpec | undefined;
  /** Every capability the plugins provide (what `ProvidedCapabilities` resolves to). */
  readonly provided: ReadonlySet<Capability>;
}

const label = (spec: PluginSpec) => `${spec.kind} '${spec.name}'`;

function checkShape(value: unknown, index: number): PluginSpec {
  const spec = value as Partial<PluginSpec> | null;
  const problem =
    typeof value === 'function'
      ? 'is a function (call the factory: `bsp()`, not `bsp`)'
      : spec === null || typeof spec !== 'object'
        ? `is ${formatValue(value)}, not a plugin spec`
        : !PLUGIN_KINDS.includes(spec.kind as PluginKind)
          ? `has kind ${formatValue(spec.kind)}; known kinds: ${PLUGIN_KINDS.join(', ')}`
          : typeof spec.name !== 'string' || spec.name.length === 0
            ? 'has no name'
            : typeof spec.register !== 'function'
              ? `(${spec.kind} '${spec.name}') has no register function`
              : undefined;
  if (problem) throw new CompositionError([], `plugins[${index}] ${problem}`);
  return spec as PluginSpec;
}

/**
 * Check a composition before any step runs: every entry is a plugin spec, each kind has at most
 * one plugin, omitted kinds take their default, and every plugin's `requires` is provided by some
 * plugin (its `capability` or one of its `alternatives`). A violation throws a {@link CompositionError} that names every plugin involved, e.g.
 * "compressor 'topK' needs a collective with 'collective:allgather' (…), but collective
 * 'ringAllreduce' does not provide it".
 */
export function validateComposition(
  plugins: readonly PluginSpec[],
  defaults: Partial<Record<PluginKind, () => PluginSpec>>,
): Composition {
  if (!Array.isArray(plugins)) throw new CompositionError([], `plugins must be an array of plugin specs, got ${formatValue(plugins)}`);
  const byKind = new Map<PluginKind, ComposedPlugin>();
  plugins.forEach((value, index) => {
    const spec = checkShape(value, index);
    const present = byKind.get(spec.kind);
    if (present) {
      throw new CompositionError(
        [present.spec.name, spec.name],
        `two ${spec.kind} plugins, '${present.spec.name}' and '${spec.name}': a composition takes at most one plugin per kind`,
      );
    }
    byKind.set(spec.kind, { spec, isDefault: false });
  });
  for (const kind of PLUGIN_KINDS) {
    const make = defaults[kind];
    if (!byKind.has(kind) && make) byKind.set(kind, { spec: make(), isDefault: true });
  }
  const ordered = PLUGIN_KINDS.flatMap((kind) => (byKind.has(kind) ? [byKind.get(kind)!] : []));
  const provided = new Set(ordered.flatMap((p) => p.spec.provides ?? []));
  for (const { spec } of ordered) {
    for (const requirement of spec.requires ?? []) {
      const accepted = [requirement.capability, ...(requirement.alternatives ?? [])];
      if (accepted.some((capability) => provided.has(capability))) continue;
      const other = byKind.get(requirement.from);
      const where = other
        ? `but ${label(other.spec)}${other.isDefault ? ' (the default)' : ''} does not provide ${accepted.length > 1 ? 'any of them' : 'it'}`
        : `but the composition has no ${requirement.from}`;
      throw new CompositionError(
        other ? [spec.name, other.spec.name] : [spec.name],
        `${label(spec)} needs a ${requirement.from} with ${accepted.map((c) => `'${c}'`).join(' or ')} (${requirement.reason}), ${where}`,
      );
    }
  }
  return Object.freeze({
    plugins: Object.freeze(ordered),
    get: (kind: PluginKind) => byKind.get(kind)?.spec,
    provided: provided as ReadonlySet<Capability>,
  });
}
