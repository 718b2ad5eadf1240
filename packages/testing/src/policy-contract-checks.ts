/**
 * Comparisons used by the sync-policy contract. Each throws a `ContractViolation` whose message
 * names the rank, the step or the element that differs.
 */
import type { StateValue } from '@syncopate/core';
import { check, ContractViolation } from './compressor-contract-assert.js';
import type { RecordedRequest } from './policy-contract-exchange.js';

/** Every buffer equals the first, bit for bit (−0 and +0 differ, NaN equals NaN). */
export function checkConsensus(buffers: readonly Float32Array[], what: string): void {
  const first = buffers[0]!;
  for (let r = 1; r < buffers.length; r++) {
    const other = buffers[r]!;
    check(other.length === first.length, `${what}: ${other.length} parameters vs ${first.length}`);
    for (let i = 0; i < first.length; i++) {
      if (!Object.is(other[i], first[i])) throw new ContractViolation(`${what}: parameter ${i} is ${first[i]} on rank 0 but ${other[i]} on rank ${r}`);
    }
  }
}

/** Every log has the same signatures in the same order; names the first difference. */
export function checkSameLogs(logs: readonly (readonly RecordedRequest[])[], labels?: readonly string[]): void {
  const name = (i: number) => labels?.[i] ?? `rank ${i}`;
  const first = logs[0]!;
  for (let r = 1; r < logs.length; r++) {
    const other = logs[r]!;
    const n = Math.max(first.length, other.length);
    for (let i = 0; i < n; i++) {
      const a = first[i];
      const b = other[i];
      if (a?.signature !== b?.signature) {
        const show = (x: RecordedRequest | undefined) => (x ? `${x.signature} (in ${x.issuedIn})` : 'nothing');
        throw new ContractViolation(`exchange #${i}: ${name(0)} made ${show(a)}, ${name(r)} made ${show(b)}; every rank must make the same exchanges in the same order`);
      }
    }
  }
}

/** Σ over parameters of the variance across ranks: 0 when every rank holds the same model. */
export function spread(buffers: readonly Float32Array[]): number {
  const n = buffers.length;
  let total = 0;
  for (let i = 0; i < buffers[0]!.length; i++) {
    let mean = 0;
    for (const b of buffers) mean += b[i]! / n;
    for (const b of buffers) total += (b[i]! - mean) ** 2 / n;
  }
  return total;
}

/** The step in a hook label such as `onParameters@5`. */
export function stepOf(hook: string): number {
  const at = hook.lastIndexOf('@');
  return at < 0 ? -1 : Number(hook.slice(at + 1));
}

const TYPED = [Float32Array, Float64Array, Int32Array, Uint32Array, Uint8Array];

/** Why `value` is not a checkpointable `StateValue`, or undefined when it is. */
export function stateProblem(value: unknown, path: string): string | undefined {
  if (value === null || ['number', 'string', 'boolean'].includes(typeof value)) return undefined;
  if (ArrayBuffer.isView(value)) return TYPED.some((t) => value.constructor === t) ? undefined : `${path} is a ${value.constructor.name}`;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = stateProblem(item, `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value as Record<string, StateValue>)) {
      const problem = stateProblem(item, `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  }
  return `${path} is ${typeof value === 'object' ? `a ${(value as object).constructor?.name ?? 'null-prototype object'}` : `a ${typeof value}`}`;
}

/** Structural equality of plain data (typed arrays compared element by element). */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    return a.constructor === b.constructor && x.length === y.length && Array.from(x).every((v, i) => Object.is(v, y[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
