/**
 * Config plugin entries → plugin specs, through the {@link PLUGIN_CATALOG}. An entry is a name
 * (`"errorFeedback"`) or `{ "name": "topK", "options": { "ratio": 0.01 } }`; the factory checks
 * the options, and its errors come back naming the config field (`plugins[1].options.ratio`).
 */
import { closestName, formatValue, type PluginSpec } from '@syncopate/core';
import { optionErrorAt } from '../cli-error.js';
import { FieldReader, fieldPath } from '../config/fields.js';
import type { NamedOptions } from '../config/train-config.js';
import { PLUGIN_CATALOG, pluginNamesByKind, type CatalogEntry } from './plugin-catalog.js';

/** "known: topology: complete, ring, …; collective: …" for unknown-plugin errors. */
export function knownPluginsLine(): string {
  return [...pluginNamesByKind()].map(([kind, names]) => `${kind}: ${names.join(', ')}`).join('; ');
}

/** Read one `plugins[i]` entry: a name or `{ name, options }`. */
export function readPluginEntry(reader: FieldReader, value: unknown, path: string): NamedOptions {
  const entry = typeof value === 'string' ? { name: value } : reader.object(value, path, ['name', 'options']);
  const name = reader.string(entry.name, fieldPath(path, 'name'));
  if (!PLUGIN_CATALOG.has(name)) {
    const hint = closestName(name, [...PLUGIN_CATALOG.keys()]);
    reader.fail(fieldPath(path, 'name'), `unknown plugin '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; known: ${knownPluginsLine()}`);
  }
  const options = entry.options === undefined ? {} : reader.record(entry.options, fieldPath(path, 'options'));
  return { name, options };
}

/**
 * The spec of one entry: nested `{ name, options }` holders (perBucket's `otherwise`) become
 * specs first, then the factory runs. Throws a {@link ConfigError} naming the field.
 */
export function buildPluginSpec(entry: NamedOptions, source: string, path: string): PluginSpec {
  const reader: FieldReader = new FieldReader(source);
  const catalogEntry = PLUGIN_CATALOG.get(entry.name);
  if (!catalogEntry) reader.fail(fieldPath(path, 'name'), `unknown plugin '${entry.name}'; known: ${knownPluginsLine()}`);
  const optionsPath = fieldPath(path, 'options');
  const options = withNestedSpecs(catalogEntry, entry.options, reader, optionsPath);
  try {
    return catalogEntry.factory(options);
  } catch (error) {
    throw optionErrorAt(source, optionsPath, error);
  }
}

/** Specs for every entry, in order. */
export function buildPluginSpecs(entries: readonly NamedOptions[], source: string): PluginSpec[] {
  return entries.map((entry, i) => buildPluginSpec(entry, source, `plugins[${i}]`));
}

function withNestedSpecs(entry: CatalogEntry, options: Readonly<Record<string, unknown>>, reader: FieldReader, path: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...options };
  for (const field of entry.specFields ?? []) {
    const [holder, inner] = field.split('[].') as [string, string | undefined];
    if (copy[holder] === undefined) continue;
    if (inner === undefined) {
      copy[holder] = nestedSpec(copy[holder], reader, fieldPath(path, holder));
      continue;
    }
    const list = reader.array(copy[holder], fieldPath(path, holder));
    copy[holder] = list.map((item, i) => {
      const itemPath = fieldPath(fieldPath(path, holder), i);
      if (item === null || typeof item !== 'object' || Array.isArray(item)) reader.fail(itemPath, `must be an object, got ${formatValue(item)}`);
      const record = item as Record<string, unknown>;
      return record[inner] === undefined ? record : { ...record, [inner]: nestedSpec(record[inner], reader, fieldPath(itemPath, inner)) };
    });
  }
  return copy;
}

function nestedSpec(value: unknown, reader: FieldReader, path: string): PluginSpec {
  return buildPluginSpec(readPluginEntry(reader, value, path), reader.source, path);
}
