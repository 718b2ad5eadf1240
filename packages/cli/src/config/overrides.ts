/**
 * `--set path=value` overrides, applied to a parsed config before validation, e.g.
 * `--set epochs=1 --set data.trainExamples=512 --set plugins[0].options.period=4`. The value is
 * read as JSON when it parses (numbers, booleans, arrays, objects), else as a string.
 */
import { UsageError } from '../cli-error.js';

type Segment = string | number;

function segments(path: string): Segment[] {
  const out: Segment[] = [];
  for (const part of path.split('.')) {
    const match = /^([A-Za-z_$][\w$-]*)?((?:\[\d+\])*)$/.exec(part);
    if (!match || (!match[1] && !match[2])) throw new UsageError(`--set: '${path}' is not a field path like data.trainExamples or plugins[0].options.period`);
    if (match[1]) out.push(match[1]);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A copy of `raw` with `path` set to `value`; intermediate objects are created as needed.
 *
 * @example
 * ```ts
 * setField({ data: { name: 'fashion-mnist' } }, 'data.trainExamples', 512);
 * // { data: { name: 'fashion-mnist', trainExamples: 512 } }
 * ```
 */
export function setField(raw: unknown, path: string, value: unknown): unknown {
  const [head, ...rest] = segments(path);
  const assign = (node: unknown, key: Segment, tail: Segment[]): unknown => {
    const container: Record<string | number, unknown> | unknown[] = Array.isArray(node)
      ? [...node]
      : node !== null && typeof node === 'object'
        ? { ...(node as object) }
        : typeof key === 'number'
          ? []
          : {};
    const current = (container as Record<string | number, unknown>)[key];
    (container as Record<string | number, unknown>)[key] = tail.length === 0 ? value : assign(current, tail[0]!, tail.slice(1));
    return container;
  };
  return assign(raw, head!, rest);
}

/** Apply `--set` assignments (`path=value`) in order. */
export function applyOverrides(raw: unknown, assignments: readonly string[]): unknown {
  let result = raw;
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set: expected path=value, got '${assignment}'`);
    result = setField(result, assignment.slice(0, eq).trim(), parseValue(assignment.slice(eq + 1)));
  }
  return result;
}
