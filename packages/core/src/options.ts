import { OptionError } from './errors.js';

/**
 * Eager option checks for plugin factories. Each throws an {@link OptionError} that names the
 * plugin, the option and the allowed range, so a bad config fails at the line that made it.
 */
export interface NumberRule {
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Inclusive upper bound. */
  readonly max?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** Exclusive upper bound. */
  readonly below?: number;
  readonly integer?: boolean;
}

function describe(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.integer) parts.push('an integer');
  else parts.push('a finite number');
  if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  if (rule.below !== undefined) parts.push(`< ${rule.below}`);
  return parts.join(' ');
}

/** Check a numeric option; `undefined` returns `fallback`. */
export function numberOption(owner: string, option: string, value: unknown, rule: NumberRule, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new OptionError(owner, option, `is required and must be ${describe(rule)}`);
    return fallback;
  }
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.max === undefined || value <= rule.max) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.below === undefined || value < rule.below);
  if (!ok) throw new OptionError(owner, option, `must be ${describe(rule)}, got ${formatValue(value)}`);
  return value as number;
}

/** Check an option that must be one of `allowed`; `undefined` returns `fallback`. */
export function choiceOption<T extends string>(
  owner: string,
  option: string,
  value: unknown,
  allowed: readonly T[],
  fallback?: T,
): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new OptionError(owner, option, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${formatValue(value)}`);
  }
  return value as T;
}

/** Check a boolean option; `undefined` returns `fallback`. */
export function booleanOption(owner: string, option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new OptionError(owner, option, `must be true or false, got ${formatValue(value)}`);
  return value;
}

/**
 * Reject keys that the factory does not know, naming the closest known key. Catches typos such
 * as `{ perod: 8 }` that would otherwise silently fall back to a default.
 */
export function knownOptions(owner: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new OptionError(owner, 'options', `must be an object, got ${formatValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const hint = closestName(key, known);
      throw new OptionError(
        owner,
        key,
        `is not an option of ${owner}${hint ? ` (did you mean '${hint}'?)` : ''}; known options: ${known.join(', ') || 'none'}`,
      );
    }
  }
}

/** Short, safe rendering of any value for an error message. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return `a ${typeof value}`;
}

/**
 * The entry of `known` closest to `typed` by edit distance (case-insensitive), or `undefined`
 * when none is within about a third of its length (at least 2 edits): the "did you mean" of
 * option and config errors.
 *
 * @example
 * ```ts
 * closestName('topk', ['topK', 'randomK']); // 'topK'
 * ```
 */
export function closestName(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
