import { fnv1a64 } from '@syncopate/core';
import type { Composition } from './validate-composition.js';

/** JSON with object keys sorted, so equal options always print the same text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

/**
 * The text every rank compares at start-up: one line per plugin (`kind=name{options}`), then the
 * trainer's own settings, the model layout hash and the bucket plan hash.
 */
export function describeComposition(
  composition: Composition,
  extra: { readonly trainer: unknown; readonly layoutHash: string; readonly planHash: string },
): string[] {
  return [
    ...composition.plugins.map(({ spec }) => `${spec.kind}=${spec.name}${stableJson(spec.options ?? {})}`),
    `trainer=${stableJson(extra.trainer)}`,
    `layout=${extra.layoutHash}`,
    `plan=${extra.planHash}`,
  ];
}

/** FNV-1a 64 of the description: equal on every rank of a well-formed run. */
export function compositionHash(lines: readonly string[]): string {
  return fnv1a64(lines.join('\n'));
}
