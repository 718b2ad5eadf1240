import type { NumericArray, ReduceOp } from '@syncopate/core';

/** Collective kinds, as carried in the envelope of every collective message. */
export const Kind = Object.freeze({ allreduce: 1, broadcast: 2, allgather: 3, reduceScatter: 4, barrier: 5, split: 6 });
export type KindName = keyof typeof Kind;

const OPS: readonly ReduceOp[] = ['sum', 'max', 'min'];
const DTYPES = ['float32', 'float64', 'int32'] as const;

/** The dtype name of a reducible array. */
export function dtypeOf(buffer: NumericArray): (typeof DTYPES)[number] {
  if (buffer instanceof Float32Array) return 'float32';
  if (buffer instanceof Float64Array) return 'float64';
  return 'int32';
}

/** Packs (kind, op, dtype) into one int32 so ranks can check they run the same collective. */
export function collectiveCode(kind: KindName, op?: ReduceOp, buffer?: NumericArray): number {
  const opIndex = op === undefined ? 0 : OPS.indexOf(op) + 1;
  const dtypeIndex = buffer === undefined ? 0 : DTYPES.indexOf(dtypeOf(buffer)) + 1;
  return Kind[kind] | (opIndex << 4) | (dtypeIndex << 8);
}

/** `allreduce(sum, float32)` for a code made by {@link collectiveCode}. */
export function describeCode(code: number): string {
  const kind = (Object.keys(Kind) as KindName[]).find((k) => Kind[k] === (code & 15)) ?? `collective ${code & 15}`;
  const parts = [OPS[((code >> 4) & 15) - 1], DTYPES[((code >> 8) & 15) - 1]].filter((p) => p !== undefined);
  return parts.length > 0 ? `${kind}(${parts.join(', ')})` : kind;
}
