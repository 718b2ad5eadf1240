/**
 * Reading untyped config values (parsed JSON or YAML) field by field. Every failure is a
 * {@link ConfigError} naming the file and the field path (`data.trainExamples`,
 * `plugins[1].options.ratio`) and saying what the field must be.
 */
import { closestName, formatValue } from '@syncopate/core';
import { ConfigError } from '../cli-error.js';

/** A plain object read from a config. */
export type ConfigObject = Readonly<Record<string, unknown>>;

/** Bounds of a numeric field. */
export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  readonly integer?: boolean;
}

function describeBounds(bounds: NumberBounds): string {
  const parts = [bounds.integer ? 'an integer' : 'a number'];
  if (bounds.min !== undefined) parts.push(`>= ${bounds.min}`);
  if (bounds.above !== undefined) parts.push(`> ${bounds.above}`);
  if (bounds.max !== undefined) parts.push(`<= ${bounds.max}`);
  return parts.join(' ');
}

/** `base.key`, or `key` at the top level. */
export function fieldPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

/** Reads the fields of one config file; `source` names the file in every error. */
export class FieldReader {
  constructor(readonly source: string) {}

  fail(path: string, detail: string): never {
    throw new ConfigError(this.source, path, detail);
  }

  /** A plain object whose keys are all in `known` (an unknown key names the closest known one). */
  object(value: unknown, path: string, known: readonly string[]): ConfigObject {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, `must be an object, got ${formatValue(value)}`);
    }
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const hint = closestName(key, known);
      this.fail(fieldPath(path, key), `unknown field${hint ? ` (did you mean '${hint}'?)` : ''}; known fields: ${known.join(', ')}`);
    }
    return value as ConfigObject;
  }

  /** A plain object with any keys (a factory's options, checked by the factory). */
  record(value: unknown, path: string): ConfigObject {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, `must be an object, got ${formatValue(value)}`);
    return value as ConfigObject;
  }

  number(value: unknown, path: string, bounds: NumberBounds, fallback?: number): number {
    if (value === undefined && fallback !== undefined) return fallback;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!bounds.integer || Number.isInteger(value)) &&
      (bounds.min === undefined || value >= bounds.min) &&
      (bounds.max === undefined || value <= bounds.max) &&
      (bounds.above === undefined || value > bounds.above);
    if (!ok) this.fail(path, `${value === undefined ? 'is required and must be' : 'must be'} ${describeBounds(bounds)}, got ${formatValue(value)}`);
    return value as number;
  }

  optionalNumber(value: unknown, path: string, bounds: NumberBounds): number | undefined {
    return value === undefined ? undefined : this.number(value, path, bounds);
  }

  string(value: unknown, path: string, fallback?: string): string {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || value.length === 0) this.fail(path, `must be a non-empty string, got ${formatValue(value)}`);
    return value;
  }

  boolean(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(path, `must be true or false, got ${formatValue(value)}`);
    return value;
  }

  /** One of `allowed`; a near miss names the closest. */
  choice<T extends string>(value: unknown, path: string, allowed: readonly T[], fallback?: T): T {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    const hint = typeof value === 'string' ? closestName(value, allowed) : undefined;
    this.fail(path, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${formatValue(value)}${hint ? ` (did you mean '${hint}'?)` : ''}`);
  }

  array(value: unknown, path: string, fallback?: readonly unknown[]): readonly unknown[] {
    if (value === undefined && fallback !== undefined) return fallback;
    if (!Array.isArray(value)) this.fail(path, `must be an array, got ${formatValue(value)}`);
    return value;
  }
}
