/** Short human-readable descriptions of a composition and an optimizer, for the run's header. */
import type { PluginSpec } from '@syncopate/core';
import type { OptimizerConfig, NamedOptions } from '../config/train-config.js';

function formatOption(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatOption).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const spec = value as Partial<PluginSpec>;
    if (typeof spec.name === 'string' && typeof spec.kind === 'string') return describeCall(spec.name, spec.options);
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${formatOption(v)}`).join(', ')}}`;
  }
  return typeof value === 'string' ? value : String(value);
}

/** `topK(ratio=0.01)`, or `bsp` without options. */
export function describeCall(name: string, options: unknown): string {
  const entries = options && typeof options === 'object' ? Object.entries(options as object).filter(([, v]) => v !== undefined) : [];
  return entries.length === 0 ? name : `${name}(${entries.map(([k, v]) => `${k}=${formatOption(v)}`).join(', ')})`;
}

/**
 * The composition, one entry per kind, as `kind:description`: the given plugins with their
 * resolved options, the trainer's defaults marked as such. `composed` is the trainer's
 * `plugins` list (`kind:name`, defaults included).
 */
export function describeComposition(specs: readonly PluginSpec[], composed: readonly string[]): string[] {
  return composed.map((entry) => {
    const [kind, name] = entry.split(':') as [string, string];
    const spec = specs.find((s) => s.kind === kind);
    return spec ? `${kind}: ${describeCall(spec.name, spec.options)}` : `${kind}: ${name} (default)`;
  });
}

/** `momentum(momentum=0.9), lr 0.1, schedules: stepDecay(boundaries=[2])`. */
export function describeOptimizer(optimizer: OptimizerConfig, schedules: readonly NamedOptions[]): string {
  const base = `${describeCall(optimizer.name, optimizer.options)}, lr ${optimizer.lr}`;
  return schedules.length === 0 ? base : `${base}, schedules: ${schedules.map((s) => describeCall(s.name, s.options)).join(' then ')}`;
}
